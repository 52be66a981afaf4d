package io.livepatch4j.agent.tooling;

/**
 * The agent's debug switch ({@code debug=on}). Off, what {@link #debug} says is logged at DEBUG
 * level, which a default logging set-up does not show; on, it is logged at INFO, so it shows
 * without touching the application's logging configuration, and start failures carry their stack
 * trace. Warnings, errors and the patches applied are always logged, through
 * {@code System.getLogger("io.livepatch4j")} (looked up when first used: {@link Lazy}).
 */
final class AgentLog {

    private static final Lazy LOG = new Lazy("io.livepatch4j");
    private static volatile boolean debugging;

    private AgentLog() {}

    /** The agent's logger named {@code name}, found when it first logs (see {@link Lazy}). */
    static System.Logger logger(String name) {
        return name.equals(LOG.getName()) ? LOG : new Lazy(name);
    }

    /**
     * A logger that asks {@code System.getLogger} for the real one when it is first used: the JDK's
     * logging, which that call sets up (about 20 ms, most of it java.util.logging), is not loaded at a
     * server's start unless the agent has something to say. (Racing threads may both look it up;
     * they get the same logger.)
     */
    static final class Lazy implements System.Logger {
        private final String name;
        private volatile System.Logger real;

        Lazy(String name) {
            this.name = name;
        }

        boolean created() {
            return real != null;
        }

        private System.Logger real() {
            System.Logger r = real;
            if (r == null) {
                r = System.getLogger(name);
                real = r;
            }
            return r;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return real().isLoggable(level);
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            real().log(level, bundle, msg, thrown);
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            real().log(level, bundle, format, params);
        }
    }

    static void enableDebug(boolean on) {
        debugging = on;
    }

    static boolean debugging() {
        return debugging;
    }

    /**
     * At INFO with debug=on; else at DEBUG, once the agent's logger exists (something else was logged):
     * the steps of a start that says nothing else do not set the JDK's logging up for a level that a
     * default set-up does not show.
     */
    static void debug(String pattern, Object... args) {
        if (debugging || LOG.created()) {
            LOG.log(debugging ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, pattern, args);
        }
    }
}
