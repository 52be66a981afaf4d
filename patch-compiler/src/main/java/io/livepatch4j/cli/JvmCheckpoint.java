package io.livepatch4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livepatch4j.control.ControlSockets;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * lp4j checkpoint and restore: lp4j-native's commands, with the JVM's agent taking part
 * (docs/checkpoint.md). Before lp4j-native checkpoints a JVM that runs the agent, the agent notifies
 * the application's org.crac Resources, collects the heap and gives its free part back, and parks
 * its control socket; if the checkpoint then fails or leaves the JVM running, lp4j tells the agent
 * to go on. After a restore the agent notices by itself and opens its socket again; lp4j restore
 * waits for that.
 *
 * <p>lp4j's own options are taken out; everything else goes to lp4j-native unchanged:
 * {@code --no-shrink} (Resources and socket only), {@code --plain} (the agent is not asked at all),
 * {@code --load-agent} (load the agent first into a JVM that lacks it), {@code --resume-after S}
 * (when the agent goes on by itself if lp4j never says how the checkpoint ended; default 120).
 */
final class JvmCheckpoint {

    private JvmCheckpoint() {}

    /** The options lp4j reads itself, and whether each takes a value. */
    private static final Map<String, Boolean> OWN = Map.of("--no-shrink", false, "--plain", false,
        "--load-agent", false, "--resume-after", true);

    static int checkpoint(List<String> args, PrintWriter out, PrintWriter err) throws Lp4jException {
        List<String> passed = new ArrayList<>();
        boolean shrink = true;
        boolean plain = false;
        boolean load = false;
        long resumeAfterSeconds = 120;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                passed.addAll(args.subList(i, args.size()));
                break;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!OWN.containsKey(name)) {
                passed.add(a);
                continue;
            }
            String value = null;
            if (OWN.get(name)) {
                value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.size() ? args.get(++i) : null;
                if (value == null) {
                    throw new Lp4jException(Lp4jException.USAGE, name + " needs a value");
                }
            }
            switch (name) {
                case "--no-shrink" -> shrink = false;
                case "--plain" -> plain = true;
                case "--load-agent" -> load = true;
                default -> resumeAfterSeconds = seconds(value);
            }
        }
        Long pid = pid(passed);
        AgentClient agent = plain || pid == null ? null : agent(pid, load, out, err);
        if (agent == null) {
            out.println("agent=" + (plain ? "not-asked" : "none"));
            out.flush();
            return NativeCommand.run("checkpoint", passed);
        }
        // lp4j-native's own options, its gate and the page server's port, checked before the JVM is
        // touched: a typo must not cost the application its Resources' round trip and a collection.
        List<String> check = new ArrayList<>(passed);
        check.add("--check");
        int checked = NativeCommand.run("checkpoint", check, true);
        if (checked != 0) {
            return checked;
        }
        long t0 = System.nanoTime();
        JsonObject prepared = agent.checkpointPrepare(shrink, resumeAfterSeconds * 1000);
        print(prepared, (System.nanoTime() - t0) / 1e6, out);
        out.flush();
        int code;
        try {
            code = NativeCommand.run("checkpoint", passed);
        } catch (Lp4jException | RuntimeException e) {
            resume(agent, out, err);
            throw e;
        }
        if (code != 0 || passed.contains("--leave-running")) {
            resume(agent, out, err);
        }
        return code;
    }

    static int restore(List<String> args, PrintWriter out, PrintWriter err) throws Lp4jException {
        int code = NativeCommand.run("restore", args);
        if (code != 0) {
            return code;
        }
        Long pid;
        try {
            pid = restoredPid(args);
        } catch (IOException | RuntimeException e) {
            err.println("lp4j: restored; could not read its pid back to look for its agent (" + e.getMessage() + ")");
            return code;
        }
        if (pid == null) {
            return code;
        }
        try {
            ControlSockets.Located located = ControlSockets.locate(pid);
            if (!located.found() && (located.opening() || !located.refused().isEmpty())) {
                located = ControlSockets.awaitSocket(pid);
            }
            out.println("agent=" + (located.found() ? "reachable" : located.refused().isEmpty() ? "none"
                : "not-reachable-yet"));
        } catch (IOException e) {
            out.println("agent=unknown");
        }
        return code;
    }

    /** The pid in DIR/lp4j-checkpoint.txt, which lp4j-native wrote and checked before restoring. */
    private static Long restoredPid(List<String> args) throws IOException {
        String dir = value(args, "--dir");
        if (dir == null) {
            return null;
        }
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(dir, "lp4j-checkpoint.txt"))) {
            if (line.startsWith("pid=")) {
                return Long.parseLong(line.substring(4).trim());
            }
        }
        return null;
    }

    private static AgentClient agent(long pid, boolean load, PrintWriter out, PrintWriter err) throws Lp4jException {
        if (!load) {
            ControlSockets.Located located;
            try {
                located = ControlSockets.locateOrAwait(pid);
            } catch (IOException e) {
                located = null; // no such process: lp4j-native says so
            }
            if (located != null && !located.found() && !located.refused().isEmpty()
                && ControlSockets.PARKED_FOR_CHECKPOINT.equals(TargetJvm.controlProperty(pid))) {
                // Checkpointed as it is, it would stay parked, with its Resources told, until the other's deadline.
                throw new Lp4jException(Lp4jException.TARGET, "the agent in JVM " + pid + " has closed its control socket "
                    + "for another checkpoint (lp4j checkpoint) that has not ended; wait until that one is restored or "
                    + "goes on (at the latest when its --resume-after has passed), then checkpoint again");
            }
            if (located == null || !located.found()) {
                err.println("lp4j: process " + pid + " runs no livepatch4j agent lp4j can reach: checkpointing it as it "
                    + "is (no heap shrink, no org.crac Resources notified); --load-agent loads the agent first");
                return null;
            }
        }
        return TargetJvm.connect(pid, load, TargetJvm.defaultAgentJar(), null, out);
    }

    private static void resume(AgentClient agent, PrintWriter out, PrintWriter err) {
        try {
            agent.resume();
            out.println("agent=resumed");
        } catch (IOException e) {
            err.println("lp4j: could not tell the agent the JVM goes on (" + e.getMessage() + "); it goes on by itself "
                + "when --resume-after has passed");
        }
        out.flush();
    }

    private static void print(JsonObject p, double millis, PrintWriter out) {
        out.println("agent=prepared");
        out.println("resources=" + p.get("resources").getAsInt());
        out.printf("resources_ms=%.1f%n", p.get("resourcesMillis").getAsDouble());
        JsonElement s = p.get("shrink");
        if (s == null || s.isJsonNull()) {
            out.println("shrink=off");
        } else {
            JsonObject shrink = s.getAsJsonObject();
            out.println("shrink=on");
            out.println("shrink_collector=" + shrink.get("collector").getAsString());
            out.println("heap_committed_before_bytes=" + shrink.get("committedBefore").getAsLong());
            out.println("heap_committed_after_gc_bytes=" + shrink.get("committedAfterGc").getAsLong());
            out.println("heap_committed_after_bytes=" + shrink.get("committedAfter").getAsLong());
            out.println("heap_used_after_gc_bytes=" + shrink.get("usedAfterGc").getAsLong());
            out.println("heap_minimum_bytes=" + shrink.get("minimumHeap").getAsLong());
            out.println("rss_before_bytes=" + shrink.get("rssBefore").getAsLong());
            out.println("rss_after_bytes=" + shrink.get("rssAfter").getAsLong());
            out.printf("shrink_gc_ms=%.1f%n", shrink.get("gcMillis").getAsDouble());
            out.printf("shrink_ms=%.1f%n", shrink.get("totalMillis").getAsDouble());
            out.println("shrink_how=" + shrink.get("how").getAsString());
            if (shrink.has("note") && !shrink.get("note").isJsonNull()) {
                out.println("shrink_note=" + shrink.get("note").getAsString());
            }
        }
        for (JsonElement w : p.getAsJsonArray("warnings")) {
            out.println("warning=" + w.getAsString());
        }
        out.printf("prepare_ms=%.1f%n", millis);
    }

    private static Long pid(List<String> args) throws Lp4jException {
        String v = value(args, "--pid");
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null; // lp4j-native refuses it with its own message
        }
    }

    /** The value of option {@code name} ("--name V" or "--name=V") before any "--", or null. */
    private static String value(List<String> args, String name) {
        for (int i = 0; i < args.size() && !args.get(i).equals("--"); i++) {
            String a = args.get(i);
            if (a.equals(name) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static long seconds(String value) throws Lp4jException {
        try {
            long s = Long.parseLong(value);
            if (s >= 1 && s <= 86_400) {
                return s;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Lp4jException(Lp4jException.USAGE, "--resume-after takes whole seconds from 1 to 86400, not '" + value
            + "'");
    }
}
