package io.livepatch4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.PrintWriter;

/**
 * --wait: shows a transition as it happens (threads moved and remaining, stragglers) until it
 * completes, is superseded by a rollback, or the timeout passes.
 */
final class TransitionWatch {

    private TransitionWatch() {}

    static void await(AgentClient agent, long generation, long timeoutSeconds, PrintWriter out) throws Lp4jException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String last = "";
        while (true) {
            JsonObject status = agent.status();
            JsonElement te = status.get("transition");
            if (te == null || te.isJsonNull()) {
                return;
            }
            JsonObject t = te.getAsJsonObject();
            long to = t.get("toGeneration").getAsLong();
            String state = t.get("state").getAsString();
            String line = String.format("transition G%d -> G%d (%s): %s, %.1f ms, threads moved %d, still behind %d",
                t.get("fromGeneration").getAsLong(), to, t.get("strategy").getAsString(), state,
                t.get("elapsedMillis").getAsDouble(), t.get("threadsMoved").getAsInt(), t.get("threadsRemaining").getAsInt());
            StringBuilder stragglers = new StringBuilder();
            for (JsonElement r : t.getAsJsonArray("remaining")) {
                JsonObject th = r.getAsJsonObject();
                if (th.get("straggler").getAsBoolean()) {
                    stragglers.append(String.format("%n  straggler '%s' (%s) in G%d for %.0f ms%s", th.get("name").getAsString(),
                        th.get("unitKind").getAsString(), th.get("generation").getAsLong(), th.get("inUnitMillis").getAsDouble(),
                        th.getAsJsonArray("stack").isEmpty() ? "" : ", at " + th.getAsJsonArray("stack").get(0).getAsString()));
                }
            }
            String shown = line + stragglers;
            if (!shown.equals(last) || !state.equals("running")) {
                out.println(shown);
                last = shown;
            }
            if (to != generation) {
                out.println("G" + generation + " was superseded by G" + to + " (a rollback reversed it)");
                return;
            }
            if (!state.equals("running")) {
                if (!state.equals("complete")) {
                    throw new Lp4jException(Lp4jException.REFUSED, "the transition to G" + generation + " ended " + state);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Lp4jException(Lp4jException.TIMEOUT, "the transition to G" + generation + " is still running after "
                    + timeoutSeconds + " s (" + t.get("threadsRemaining").getAsInt() + " threads remaining); it goes on by "
                    + "itself: watch it with 'lp4j status --pid " + agent.pid() + "', or reverse it with 'lp4j rollback --pid "
                    + agent.pid() + "'");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Lp4jException(Lp4jException.TIMEOUT, "interrupted while waiting for the transition");
            }
        }
    }
}
