package io.livepatch4j.it.app.cumulative;

/** CumulativePatchIT's class that only the cumulative patch that replaces the first one changes. */
public class Receipt {

    public String footer() {
        return "footer-v1";
    }
}
