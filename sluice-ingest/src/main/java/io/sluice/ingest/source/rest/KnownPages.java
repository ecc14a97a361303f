package io.sluice.ingest.source.rest;

import java.util.Optional;

/**
 * What the last full answer for each page URL said, for conditional requests (RFC 9110 §13.1): its validators
 * ({@code ETag} for {@code If-None-Match}, {@code Last-Modified} for {@code If-Modified-Since}) and the page it named
 * next. A 304 has no body, so the remembered next page is how a cycle carries on past an unchanged page.
 *
 * <p>Bounded (least recently used goes first): a cycle touches at most {@code source.pagination.max_pages} URLs, and
 * only pages requested again (above all the last one, which every cycle re-asks) profit from being remembered. Held in
 * memory only: after a restart the saved position brings back the validators of the page it resumes at.
 */
final class KnownPages {
    /** Validators and successor of one page; {@code next} is null when the page named no further page. */
    record Page(String etag, String lastModified, RestPosition next) {
        boolean hasValidators() {
            return etag != null || lastModified != null;
        }
    }

    private final LruMap<String, Page> pages;

    KnownPages(int capacity) {
        this.pages = new LruMap<>(capacity);
    }

    /** Remembers a full answer; an answer without validators can never be confirmed by a 304, so it is forgotten. */
    void remember(String url, Page page) {
        if (page.hasValidators()) {
            pages.put(url, page);
        } else {
            pages.remove(url);
        }
    }

    Optional<Page> get(String url) {
        return Optional.ofNullable(pages.get(url));
    }

    int size() {
        return pages.size();
    }
}
