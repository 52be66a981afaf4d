package io.livepatch4j.cli;

import picocli.CommandLine.Option;

/** The options of the commands that start a transition: apply and rollback. */
final class TransitionOptions {

    @Option(names = "--strategy", defaultValue = "local", description = "local (default), global or redefine")
    String strategy;

    @Option(names = "--wait", description = "show the transition until it completes")
    boolean await;

    @Option(names = "--timeout", defaultValue = "300", description = "seconds --wait waits (default 300)")
    long timeoutSeconds;

    String strategy() throws Lp4jException {
        return ApplyCommand.strategy(strategy);
    }
}
