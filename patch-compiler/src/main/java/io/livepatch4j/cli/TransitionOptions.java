package io.livepatch4j.cli;

import picocli.CommandLine.Option;

import java.util.Locale;

/** The options of the commands that start a transition: apply and rollback. */
final class TransitionOptions {

    /** The agent's strategies (DESIGN.md), in the agent's words. */
    enum Strategy {
        LOCAL, GLOBAL, REDEFINE;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What bash completion offers for --strategy: the strategies as the docs write them. */
    static final class StrategyWords extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        StrategyWords() {
            super(java.util.Arrays.stream(Strategy.values()).map(Strategy::word).toList());
        }
    }

    @Option(names = "--strategy", defaultValue = "local", paramLabel = "STRATEGY", completionCandidates = StrategyWords.class,
        description = "local, global or redefine (default: ${DEFAULT-VALUE})")
    Strategy strategy;

    @Option(names = "--wait", description = "show the transition until it completes")
    boolean await;

    @Option(names = "--timeout", defaultValue = "300", paramLabel = "SECONDS",
        description = "how long --wait waits (default: ${DEFAULT-VALUE} s)")
    long timeoutSeconds;

    /** Refuses what picocli cannot: a negative --timeout (--wait would give up at once, "after -1 s"). */
    void check() throws Lp4jException {
        if (timeoutSeconds < 0) {
            throw new Lp4jException(Lp4jException.USAGE, "--timeout takes the seconds --wait waits (0 or more), not "
                + timeoutSeconds);
        }
    }
}
