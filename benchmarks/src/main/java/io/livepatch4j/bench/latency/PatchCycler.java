package io.livepatch4j.bench.latency;

import io.livepatch4j.control.ControlClient;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The patch scenarios: applies the v1-to-v2 patch, rolls it back to G0, applies it again, ... at
 * the seeded times of {@link PatchSchedule}, with one strategy, through the agent's control socket,
 * after one apply and rollback in the warm-up (the first apply in a JVM loads the agent's apply
 * path: ~350 classes and ~130 ms of CPU on an idle server, ten times a later one; reported apart).
 * Each operation waits for its transition to complete before the next may start, so each
 * transition is measured alone; an apply the agent refuses (a global timeout) leaves the server
 * unpatched and the next operation is an apply again.
 */
final class PatchCycler implements Disruptor {

    /** How long the harness waits for one transition before it records it as incomplete. */
    private static final long AWAIT_MILLIS = 10_000;
    private static final String TIMEOUT_MESSAGE = "global quiescence was not reached";

    private final ControlClient agent;
    private final byte[] patch;
    private final String patchName;
    private final String strategy;
    private final List<Long> offsets;

    PatchCycler(ControlClient agent, byte[] patch, String patchName, String strategy, List<Long> offsets) {
        this.agent = agent;
        this.patch = patch;
        this.patchName = patchName;
        this.strategy = strategy;
        this.offsets = List.copyOf(offsets);
    }

    /** The server runs G0's code again after every rollback; an apply the agent refused leaves it there. */
    private boolean patched;

    /** One apply and one rollback, 1.2 s apart, in the warm-up: the first apply in a JVM runs cold code. */
    @Override
    public List<Disruption> warmUp(long atNanos) throws Exception {
        Pause.until(atNanos);
        List<Disruption> done = new ArrayList<>();
        done.add(operate());
        Pause.until(atNanos + 1_200_000_000L);
        if (patched) {
            done.add(operate());
        }
        return done;
    }

    @Override
    public List<Disruption> run(long fromNanos, long untilNanos) throws Exception {
        List<Disruption> done = new ArrayList<>();
        for (long offset : offsets) {
            long due = fromNanos + offset;
            if (due >= untilNanos) {
                break;
            }
            Pause.until(due);
            done.add(operate());
        }
        return done;
    }

    /** Applies the patch or rolls it back, whichever is next, and waits for its transition. */
    private Disruption operate() throws Exception {
        String kind = patched ? Disruption.ROLLBACK : Disruption.APPLY;
        long start = System.nanoTime();
        ControlClient.Answer a =
                patched ? agent.rollback(0L, strategy) : agent.apply(patch, patchName, strategy);
        long returned = System.nanoTime();
        if (!a.ok()) {
            Disruption.Outcome o = a.message() != null && a.message().contains(TIMEOUT_MESSAGE)
                ? Disruption.Outcome.TIMED_OUT : Disruption.Outcome.FAILED;
            return new Disruption(kind, o, start, returned, returned, -1, Double.NaN, a.error() + ": "
                + firstLine(a.message()));
        }
        JsonObject result = a.result().getAsJsonObject();
        long generation = result.get("generation").getAsLong();
        boolean complete = result.get("complete").getAsBoolean() || agent.await(AWAIT_MILLIS);
        long end = System.nanoTime();
        patched = !patched;
        return new Disruption(kind, complete ? Disruption.Outcome.DONE : Disruption.Outcome.INCOMPLETE,
                start, returned, end, generation, Double.NaN,
                complete ? "" : "transition still running after " + AWAIT_MILLIS + " ms");
    }

    /** Adds the agent's own transition time of each generation, from one status taken after the load. */
    @Override
    public List<Disruption> finish(List<Disruption> done) throws Exception {
        Map<Long, Double> millis = new HashMap<>();
        ControlClient.Answer status = agent.status();
        if (!status.ok()) {
            throw new java.io.IOException("the agent refused status: " + status.message());
        }
        for (JsonElement g : status.result().getAsJsonObject().getAsJsonArray("generations")) {
            JsonObject o = g.getAsJsonObject();
            if (o.has("transitionMillis")) { // absent while a transition runs, and for one that never completed
                millis.put(o.get("number").getAsLong(), o.get("transitionMillis").getAsDouble());
            }
        }
        List<Disruption> out = new ArrayList<>();
        for (Disruption d : done) {
            Double m = millis.get(d.generation());
            out.add(d.generation() >= 0 && m != null && m >= 0 ? d.withAgentMillis(m) : d);
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
