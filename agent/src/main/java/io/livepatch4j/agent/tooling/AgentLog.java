package io.livepatch4j.agent.tooling;

/**
 * The agent's debug switch ({@code debug=on}). Off, what {@link #debug} says is logged at DEBUG
 * level, which a default logging set-up does not show; on, it is logged at INFO, so it shows
 * without touching the application's logging configuration, and start failures carry their stack
 * trace. Warnings, errors and the patches applied are always logged, through
 * {@code System.getLogger("io.livepatch4j")}.
 */
final class AgentLog {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");
    private static volatile boolean debugging;

    private AgentLog() {}

    static void enableDebug(boolean on) {
        debugging = on;
    }

    static boolean debugging() {
        return debugging;
    }

    static void debug(String pattern, Object... args) {
        LOG.log(debugging ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, pattern, args);
    }
}
