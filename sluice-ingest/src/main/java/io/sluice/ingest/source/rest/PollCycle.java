package io.sluice.ingest.source.rest;

import java.util.Optional;

/**
 * What one poll cycle did: pages fetched in full (following pagination up to {@code source.pagination.max_pages}),
 * pages the API confirmed unchanged (304 Not Modified), records handed to the pipeline, repeats dropped by key, whether
 * the cycle ended because a page named as next had already been fetched in it (a pagination loop), and why it gave
 * up, if it did.
 */
public record PollCycle(long number, int pages, int notModifiedPages, int records, int duplicates,
                        boolean revisitedPage, String failure) {

    /** True when the API answered 304 to every page asked for: nothing new at all. */
    public boolean notModified() {
        return notModifiedPages > 0 && pages == 0;
    }

    public boolean succeeded() {
        return failure == null;
    }

    public Optional<String> failureReason() {
        return Optional.ofNullable(failure);
    }
}
