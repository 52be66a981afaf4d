package io.livepatch4j.it.app.cumulative;

/** CumulativePatchIT's class that every patch changes. */
public class Invoice {

    public String total() {
        return "total-v1";
    }
}
