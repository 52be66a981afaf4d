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

    /**
     * With --wait, the transition followed to its end (TransitionWatch); null without. When the wait
     * ends early (timeout, the JVM gone) with --json, {@code result} of how far it got is printed
     * before the failure is thrown: the JVM changed all the same, and a script must be told.
     */
    com.google.gson.JsonObject awaitIfAsked(AgentClient agent, long generation, Terminal terminal, boolean json,
                                            java.util.function.UnaryOperator<com.google.gson.JsonObject> result)
        throws Lp4jException {
        if (!await) {
            return null;
        }
        try {
            return TransitionWatch.await(agent, generation, timeoutSeconds, terminal, json);
        } catch (TransitionWatch.Ended e) {
            if (json) {
                JsonOutput.print(terminal.out(), result.apply(e.last()));
            }
            throw e;
        }
    }
}
