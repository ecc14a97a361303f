package io.sluice.demoapi;

import java.util.List;

/** A request whose parameters cannot be served; every problem is listed at once. */
final class BadRequestException extends RuntimeException {

    BadRequestException(List<String> problems) {
        super(String.join("; ", problems));
    }
}
