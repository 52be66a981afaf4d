package io.livepatch4j.demo;

import io.livepatch4j.demo.client.ResponseCheck;

/**
 * The version stamps of one request, in the order its stamping methods ran; sent back as the
 * {@value ResponseCheck#SERVED_BY} header. Each stamping method writes its own version from its
 * own body (never from a shared constant), so a request that ran old and new code shows both.
 */
final class ServedBy {

    private final StringBuilder stamps = new StringBuilder(32);

    /** Appends {@code stamp}, a {@code name=version} pair such as {@code access=v1}. */
    void stamp(String stamp) {
        if (stamps.length() > 0) {
            stamps.append(';');
        }
        stamps.append(stamp);
    }

    String header() {
        return stamps.toString();
    }
}
