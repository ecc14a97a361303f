package io.sluice.config;

/** Checks one already-typed value. Returns null when fine, otherwise what the value must be ("must be ≥ 1"). */
@FunctionalInterface
public interface Validator {
    String check(Object value);

    Validator NONE = value -> null;

    default Validator and(Validator next) {
        return value -> {
            String problem = check(value);
            return problem != null ? problem : next.check(value);
        };
    }
}
