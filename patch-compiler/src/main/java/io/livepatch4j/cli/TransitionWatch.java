package io.livepatch4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * --wait: shows a transition as it happens (threads moved and remaining, stragglers) until it
 * completes, is superseded by a rollback, or the timeout passes. On a terminal it is one line
 * redrawn in place; otherwise a plain line each time something other than the clock changes, so a
 * log or a script gets a few lines, not one every poll.
 */
final class TransitionWatch {

    private static final long POLL_MILLIS = 100;

    private TransitionWatch() {}

    /**
     * Waits for the transition to {@code generation}; returns its last status (null when the agent
     * reports none: it completed and was forgotten). {@code quiet}: print nothing (--json).
     */
    static JsonObject await(AgentClient agent, long generation, long timeoutSeconds, Terminal terminal, boolean quiet)
        throws Lp4jException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        Progress progress = quiet ? null : new Progress(terminal);
        try {
            while (true) {
                JsonElement te = agent.status().get("transition");
                if (te == null || te.isJsonNull()) {
                    return null;
                }
                JsonObject t = te.getAsJsonObject();
                long to = t.get("toGeneration").getAsLong();
                String state = t.get("state").getAsString();
                if (progress != null) {
                    progress.show(t);
                }
                if (to != generation) {
                    if (progress != null) {
                        progress.end();
                        terminal.out().println("G" + generation + " was superseded by G" + to + " (a rollback reversed it)");
                    }
                    return t;
                }
                if (!state.equals("running")) {
                    if (!state.equals("complete")) {
                        throw new Ended(Lp4jException.REFUSED, "the transition to G" + generation + " ended " + state, t);
                    }
                    return t;
                }
                if (System.nanoTime() > deadline) {
                    throw new Ended(Lp4jException.TIMEOUT, "the transition to G" + generation + " is still running "
                        + "after " + timeoutSeconds + " s (" + t.get("threadsRemaining").getAsInt() + " threads remaining); "
                        + "it goes on by itself: watch it with 'lp4j status --pid " + agent.pid() + "', or undo it with "
                        + "'lp4j rollback --pid " + agent.pid() + "'", t);
                }
                agent.await(POLL_MILLIS);
                if (Thread.currentThread().isInterrupted()) {
                    throw new Lp4jException(Lp4jException.TIMEOUT, "interrupted while waiting for the transition");
                }
            }
        } finally {
            if (progress != null) {
                progress.end();
            }
        }
    }

    /**
     * The wait ended without the transition completing (timed out, or it ended otherwise): the
     * transition's last status goes with it, for --json's object (the patch was applied all the same).
     */
    static final class Ended extends Lp4jException {
        private static final long serialVersionUID = 1L;
        private final transient JsonObject last;

        Ended(int exitCode, String message, JsonObject last) {
            super(exitCode, message);
            this.last = last;
        }

        JsonObject last() {
            return last;
        }
    }

    /**
     * What the watcher prints: a line redrawn on a terminal, a new line per change elsewhere (the
     * state, the counts, which threads straggle; not the clock, nor where a straggler runs now).
     */
    static final class Progress {
        private final Terminal terminal;
        /** What was last shown, without the clock: a plain line is printed only when this changes. */
        private String lastShown;
        private boolean lineOpen;

        Progress(Terminal terminal) {
            this.terminal = terminal;
        }

        void show(JsonObject t) {
            String counts = String.format("transition G%d -> G%d (%s): %s", t.get("fromGeneration").getAsLong(),
                t.get("toGeneration").getAsLong(), t.get("strategy").getAsString(), t.get("state").getAsString());
            String threads = String.format("threads moved %d, still behind %d", t.get("threadsMoved").getAsInt(),
                t.get("threadsRemaining").getAsInt());
            String elapsed = String.format("%.1f ms", t.get("elapsedMillis").getAsDouble());
            List<String> stragglers = new ArrayList<>();
            List<String> names = new ArrayList<>();
            // Which threads straggle, not where they are: a running straggler is at another frame each poll.
            List<String> who = new ArrayList<>();
            for (JsonElement r : t.getAsJsonArray("remaining")) {
                JsonObject th = r.getAsJsonObject();
                if (th.get("straggler").getAsBoolean()) {
                    names.add("'" + th.get("name").getAsString() + "'");
                    who.add(th.get("name").getAsString() + " " + th.get("unitKind").getAsString() + " G"
                        + th.get("generation").getAsLong());
                    stragglers.add(String.format("  straggler '%s' (%s) in G%d%s", th.get("name").getAsString(),
                        th.get("unitKind").getAsString(), th.get("generation").getAsLong(),
                        th.getAsJsonArray("stack").isEmpty() ? "" : ", at " + th.getAsJsonArray("stack").get(0).getAsString()));
                }
            }
            if (terminal.interactive()) {
                terminal.redraw(counts + ", " + elapsed + ", " + threads
                    + (names.isEmpty() ? "" : "; stragglers " + String.join(", ", names)));
                lineOpen = true;
                return;
            }
            String key = counts + ", " + threads + "\n" + String.join("\n", who);
            if (!key.equals(lastShown)) {
                terminal.out().println(counts + ", " + elapsed + ", " + threads);
                stragglers.forEach(terminal.out()::println);
                lastShown = key;
            }
        }

        /** Ends the redrawn line, so what follows starts on a line of its own. */
        void end() {
            if (lineOpen) {
                terminal.out().println();
                lineOpen = false;
            }
        }
    }
}
