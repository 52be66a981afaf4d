package io.livepatch4j.bench.load;

/**
 * The requests the load sends to the demo server, with the status each expects. "leak-probe" is the
 * demo's bug: reading a private key with an empty API key, answered 200 with the secret by v1 and
 * 403 by v2.
 */
public enum RequestKind {
    GET("GET /kv/{key}"),
    PUT("PUT /kv/{key}"),
    REPORT("GET /report (long)"),
    LEAK_PROBE("GET /kv/private/... with an empty API key");

    private final String description;

    RequestKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether the status is a correct answer to this kind of request (the leak probe: either version's). */
    public boolean expected(int status) {
        return switch (this) {
            case GET, REPORT -> status == 200;
            case PUT -> status == 200 || status == 201 || status == 204;
            case LEAK_PROBE -> status == 200 || status == 403;
        };
    }
}
