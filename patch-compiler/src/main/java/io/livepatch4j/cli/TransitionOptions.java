package io.livepatch4j.cli;

import picocli.CommandLine.Option;

import java.util.Locale;

/** The options of the commands that start a transition: apply and rollback. */
final class TransitionOptions {

    @Option(names = "--strategy", defaultValue = "local", description = "local (default), global or redefine")
    String strategy;

    @Option(names = "--wait", description = "show the transition until it completes")
    boolean await;

    @Option(names = "--timeout", defaultValue = "300", description = "seconds --wait waits (default 300)")
    long timeoutSeconds;

    /** The strategy in the agent's word for it; anything else is a usage error. */
    String strategy() throws Lp4jException {
        String v = strategy.toLowerCase(Locale.ROOT);
        if (!v.equals("local") && !v.equals("global") && !v.equals("redefine")) {
            throw new Lp4jException(Lp4jException.USAGE, "unknown strategy '" + strategy
                + "': use local, global or redefine");
        }
        return v;
    }
}
