package io.sluice.ingest.source.rest;

import java.util.Optional;

/**
 * What one poll cycle did: pages fetched (following pagination up to {@code source.pagination.max_pages}), records
 * handed to the pipeline, repeats dropped by key, whether the API said 304 Not Modified, and why it gave up, if it did.
 */
public record PollCycle(long number, int pages, int records, int duplicates, boolean notModified, String failure) {

    public boolean succeeded() {
        return failure == null;
    }

    public Optional<String> failureReason() {
        return Optional.ofNullable(failure);
    }
}
