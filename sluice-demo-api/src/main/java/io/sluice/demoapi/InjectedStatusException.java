package io.sluice.demoapi;

/** Thrown to answer a request with an injected HTTP status fault instead of serving it. */
final class InjectedStatusException extends RuntimeException {

    private final int status;
    private final transient FaultSpec faults;

    InjectedStatusException(int status, FaultSpec faults) {
        super("injected fault: HTTP " + status, null, false, false);
        this.status = status;
        this.faults = faults;
    }

    int status() {
        return status;
    }

    FaultSpec faults() {
        return faults;
    }
}
