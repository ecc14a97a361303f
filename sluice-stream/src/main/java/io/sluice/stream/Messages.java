package io.sluice.stream;

/** Turns Spark's multi-line exception messages into something that fits in one sentence. */
final class Messages {
    private Messages() {
    }

    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "no details";
        }
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl).strip();
    }

    /** The innermost cause's first line, which is usually the one that says what actually went wrong. */
    static String rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = firstLine(root.getMessage());
        return root == error ? text : text + " (" + root.getClass().getSimpleName() + ")";
    }
}
