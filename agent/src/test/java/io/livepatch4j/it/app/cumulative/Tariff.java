package io.livepatch4j.it.app.cumulative;

/** CumulativePatchIT's class that only the first patch changes. */
public class Tariff {

    public String rate() {
        return "rate-v1";
    }
}
