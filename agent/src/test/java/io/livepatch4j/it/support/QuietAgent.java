package io.livepatch4j.it.support;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent logs each apply and rollback at INFO; tests that make thousands of them keep only its
 * warnings, so that their own tallies can be read in the build's output.
 */
public final class QuietAgent {

    /** Held: java.util.logging keeps loggers only weakly, and a collected one forgets its level. */
    private static final Logger AGENT = Logger.getLogger("io.livepatch4j");

    private QuietAgent() {}

    public static void warningsOnly() {
        AGENT.setLevel(Level.WARNING);
    }
}
