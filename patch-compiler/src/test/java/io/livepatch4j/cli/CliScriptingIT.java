package io.livepatch4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lp4j as a script and a person at a terminal use it: commands that are safe to run twice (apply,
 * rollback), --json parsed as JSON, the JVM chosen by its main class, and --wait's progress on a
 * pseudo-terminal and on a pipe.
 */
class CliScriptingIT {

    /** A main class no other JVM on this machine has, so that --main finds the test's JVMs only. */
    private static final String LAUNCHER = "CliScriptingTarget" + ProcessHandle.current().pid();
    private static final String LAUNCHER_SOURCE = "package fixture; public final class " + LAUNCHER
        + " { public static void main(String[] a) throws Exception { Main.main(a); } }";
    private static final Fixture FIX = Fixture.blocking("scripting").with("fixture." + LAUNCHER, LAUNCHER_SOURCE,
        LAUNCHER_SOURCE);

    private static Path v1;
    private static Path patch;
    private static String agent;

    @BeforeAll
    static void build() throws Exception {
        Fixture.Built built = FIX.build("fix");
        v1 = built.v1();
        patch = built.patch();
        agent = System.getProperty("lp4j.agent.jar");
    }

    private static JsonObject json(Cli.Result r) {
        assertEquals(0, r.exit(), r.toString());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    private static ChildJvm start(String... options) throws Exception {
        return ChildJvm.start(v1, "fixture." + LAUNCHER, options);
    }

    @Test
    void applyingTheLivePatchAgainChangesNothingAndExitsZero() throws Exception {
        try (ChildJvm jvm = start()) {
            String pid = String.valueOf(jvm.pid());
            JsonObject first = json(Cli.run("apply", "--pid", pid, patch.toString(), "--wait", "--json", "--agent-jar", agent));
            assertFalse(first.get("unchanged").getAsBoolean(), first.toString());
            assertEquals(1, first.get("generation").getAsLong(), first.toString());
            assertEquals("complete", first.getAsJsonObject("transition").get("state").getAsString(), first.toString());

            JsonObject again = json(Cli.run("apply", "--pid", pid, patch.toString(), "--json"));
            assertTrue(again.get("unchanged").getAsBoolean(), again.toString());
            assertEquals(1, again.get("generation").getAsLong(), "no new generation: " + again);
            assertTrue(again.get("message").getAsString().contains("patch fix is already applied"), again.toString());

            Cli.Result text = Cli.run("apply", "--pid", pid, patch.toString());
            assertEquals(0, text.exit(), text.toString());
            assertTrue(text.out().startsWith("already applied: "), text.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    @Test
    void rollingBackTwiceUndoesThePatchOnceAndNeverReappliesIt() throws Exception {
        try (ChildJvm jvm = start("-javaagent:" + agent + "=packages=fixture")) {
            String pid = String.valueOf(jvm.pid());
            assertEquals(0, Cli.run("apply", "--pid", pid, patch.toString(), "--wait").exit());

            JsonObject undo = json(Cli.run("rollback", "--pid", pid, "--wait", "--json"));
            assertFalse(undo.get("unchanged").getAsBoolean(), undo.toString());
            assertEquals(2, undo.get("generation").getAsLong(), undo.toString());
            assertEquals(0, undo.getAsJsonArray("patches").size(), "G2 includes no patch: " + undo);
            JsonObject twice = json(Cli.run("rollback", "--pid", pid, "--json"));
            assertTrue(twice.get("unchanged").getAsBoolean(), twice.toString());
            assertTrue(twice.get("message").getAsString().startsWith("nothing to roll back"), twice.toString());
            jvm.skipOutput();
            assertEquals("OUT v1", jvm.awaitLine(l -> l.startsWith("OUT"), 10), "the fix stays undone");

            Cli.Result to = Cli.run("rollback", "--pid", pid, "--to", "1", "--wait");
            assertEquals(0, to.exit(), to.toString());
            assertTrue(to.out().contains("G2 -> G3") && to.out().contains("G3 includes patches fix"), to.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10), "--to 1 runs G1's code again");
            JsonObject undoTo = json(Cli.run("rollback", "--pid", pid, "--wait", "--json"));
            assertEquals(List.of(), strings(undoTo.get("patches")), "a rollback to G1 is undone as G1 is: " + undoTo);
            assertTrue(json(Cli.run("rollback", "--pid", pid, "--json")).get("unchanged").getAsBoolean());
        }
    }

    /**
     * "rollback means undo the last patch and is idempotent" (issue 15): with two patches applied, a
     * rollback run twice undoes the last one once; the one before stays, until --to names it.
     */
    @Test
    void aRollbackRunTwiceUndoesTheLastPatchOnlyAndSaysHowToGoFurther() throws Exception {
        java.util.Map<String, String> v3 = new java.util.HashMap<>(FIX.v2());
        v3.put("fixture.Subject", v3.get("fixture.Subject").replace("return \"v2\";", "return \"v3\";"));
        Path second = new Fixture("scripting-next", FIX.v1(), v3, "v1", "v3").build("next").patch(); // cumulative, from the release that runs
        try (ChildJvm jvm = start("-javaagent:" + agent + "=packages=fixture")) {
            String pid = String.valueOf(jvm.pid());
            assertEquals(0, Cli.run("apply", "--pid", pid, patch.toString(), "--wait").exit());
            assertEquals(0, Cli.run("apply", "--pid", pid, second.toString(), "--wait").exit());
            jvm.skipOutput();
            assertEquals("OUT v3", jvm.awaitLine(l -> l.startsWith("OUT"), 10));

            JsonObject undo = json(Cli.run("rollback", "--pid", pid, "--wait", "--json"));
            assertEquals(3, undo.get("generation").getAsLong(), undo.toString());
            assertEquals(List.of("fix"), strings(undo.get("patches")), "G3 runs G1's code: " + undo);
            JsonObject again = json(Cli.run("rollback", "--pid", pid, "--wait", "--json"));
            assertTrue(again.get("unchanged").getAsBoolean(), "the retry changes nothing: " + again);
            assertEquals(3, again.get("generation").getAsLong(), again.toString());
            assertTrue(again.get("message").getAsString().contains("lp4j rollback --to 0"), again.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10), "the first patch stays applied");

            JsonObject further = json(Cli.run("rollback", "--pid", pid, "--to", "0", "--wait", "--json"));
            assertEquals(List.of(), strings(further.get("patches")), further.toString());
            jvm.skipOutput();
            assertEquals("OUT v1", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    /**
     * Review of issue 15: 'rollback --to N' when the JVM already runs N's code (N is the current
     * generation, or a rollback to N was just made) was refused, exit 1, so a script that runs its
     * 'rollback --to N' twice failed the second time; as an undo with nothing to undo, it changes
     * nothing and exits 0. A generation that does not exist is still refused and changes nothing.
     */
    @Test
    void rollingBackToTheCodeThatRunsChangesNothingAndExitsZero() throws Exception {
        try (ChildJvm jvm = start("-javaagent:" + agent + "=packages=fixture")) {
            String pid = String.valueOf(jvm.pid());
            assertEquals(0, Cli.run("apply", "--pid", pid, patch.toString(), "--wait").exit());
            JsonObject current = json(Cli.run("rollback", "--pid", pid, "--to", "1", "--json"));
            assertTrue(current.get("unchanged").getAsBoolean(), current.toString());
            assertEquals(1, current.get("generation").getAsLong(), current.toString());

            JsonObject back = json(Cli.run("rollback", "--pid", pid, "--to", "0", "--wait", "--json"));
            assertEquals(2, back.get("generation").getAsLong(), back.toString());
            Cli.Result again = Cli.run("rollback", "--pid", pid, "--to", "0");
            assertEquals(0, again.exit(), again.toString());
            assertTrue(again.out().contains("nothing to roll back") && again.out().contains("nothing was changed"),
                again.toString());

            Cli.Result future = Cli.run("rollback", "--pid", pid, "--to", "7", "--json");
            assertTrue(future.exit() != 0, future.toString());
            assertTrue(future.err().contains("no generation G7"), future.toString());
            assertEquals(2, json(Cli.run("status", "--pid", pid, "--json")).get("currentGeneration").getAsLong(),
                "nothing changed");
        }
    }

    /**
     * Review of issue 15: 'apply --wait --json' that timed out printed nothing on stdout, though the
     * patch was applied: a script could not learn the new generation. It prints the object, with
     * complete false and the transition as the wait left it, and exits 4.
     */
    @Test
    void aWaitThatTimesOutWithJsonStillPrintsTheOutcome() throws Exception {
        try (ChildJvm jvm = start("-Dfixture.block=true", "-javaagent:" + agent + "=packages=fixture")) {
            Cli.Result r = Cli.run("apply", "--pid", String.valueOf(jvm.pid()), patch.toString(), "--wait", "--timeout", "1",
                "--json");
            assertEquals(4, r.exit(), r.toString());
            assertTrue(r.err().contains("lp4j: the transition to G1 is still running"), r.toString());
            JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
            assertEquals(1, o.get("generation").getAsLong(), r.toString());
            assertFalse(o.get("complete").getAsBoolean(), r.toString());
            assertEquals("running", o.getAsJsonObject("transition").get("state").getAsString(), r.toString());
            assertFalse(o.has("error"), "one object, the outcome's: " + r);
        }
    }

    /**
     * Review of issue 15: 'apply --wait --json' whose transition a rollback reversed said
     * "complete": true (of the rollback's transition) beside the apply's generation, so a script
     * took the patch for live. It says complete false and which generation superseded it.
     */
    @Test
    void aWaitThatARollbackSupersedesDoesNotSayComplete() throws Exception {
        try (ChildJvm jvm = start("-Dfixture.block=true", "-javaagent:" + agent + "=packages=fixture")) {
            String pid = String.valueOf(jvm.pid());
            java.util.concurrent.CompletableFuture<Cli.Result> applied = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Cli.run("apply", "--pid", pid, patch.toString(), "--wait", "--timeout", "60", "--json"));
            JsonObject status;
            do { // until the transition to G1 runs (the blocked task keeps it running)
                Thread.sleep(50);
                status = json(Cli.run("status", "--pid", pid, "--json"));
            } while (status.get("currentGeneration").getAsLong() != 1);
            assertEquals(0, Cli.run("rollback", "--pid", pid).exit());
            Cli.Result r = applied.get(60, TimeUnit.SECONDS);
            JsonObject o = json(r);
            assertEquals(1, o.get("generation").getAsLong(), r.toString());
            assertFalse(o.get("complete").getAsBoolean(), "the apply's transition never completed: " + r);
            assertEquals(2, o.get("supersededBy").getAsLong(), r.toString());
        }
    }

    @Test
    void statusAndListAsJsonHaveNoSentinels() throws Exception {
        try (ChildJvm jvm = start("-javaagent:" + agent + "=packages=fixture")) {
            String pid = String.valueOf(jvm.pid());
            JsonObject status = json(Cli.run("status", "--pid", pid, "--json"));
            JsonObject g0 = status.getAsJsonArray("generations").get(0).getAsJsonObject();
            assertFalse(g0.has("transitionMillis"), "G0 had no transition: " + g0);
            assertFalse(status.get("agentVersion").getAsString().isEmpty());
            assertEquals(0, Cli.run("apply", "--pid", pid, patch.toString(), "--wait").exit());
            JsonObject after = json(Cli.run("status", "--pid", pid, "--json"));
            JsonObject g1 = after.getAsJsonArray("generations").get(1).getAsJsonObject();
            assertTrue(g1.get("transitionMillis").getAsDouble() >= 0, g1.toString());

            JsonObject list = json(Cli.run("list", "--json"));
            assertEquals("list", list.get("command").getAsString());
            JsonObject mine = null;
            for (JsonElement e : list.getAsJsonArray("jvms")) {
                if (e.getAsJsonObject().get("pid").getAsLong() == jvm.pid()) {
                    mine = e.getAsJsonObject();
                }
            }
            assertTrue(mine != null, list.toString());
            assertEquals("yes", mine.get("agent").getAsString());
            assertEquals(1, mine.get("currentGeneration").getAsLong());
            assertTrue(mine.get("main").getAsString().startsWith("fixture." + LAUNCHER), mine.toString());
        }
    }

    @Test
    void theJvmIsFoundByItsMainClassAndTwoMatchesAreRefusedListingBoth() throws Exception {
        try (ChildJvm jvm = start("-javaagent:" + agent + "=packages=fixture")) {
            Cli.Result byName = Cli.run("status", "--main", LAUNCHER);
            assertEquals(0, byName.exit(), byName.toString());
            assertTrue(byName.out().contains("JVM " + jvm.pid()), byName.toString());
            Cli.Result byFullName = Cli.run("status", "--main", "fixture." + LAUNCHER, "--json");
            assertEquals(0, byFullName.exit(), byFullName.toString());
            try (ChildJvm other = start()) {
                Cli.Result both = Cli.run("status", "--main", LAUNCHER);
                assertEquals(2, both.exit(), both.toString());
                assertTrue(both.err().contains("2 JVMs match '" + LAUNCHER + "'") && both.err().contains(jvm.pid() + " fixture.")
                    && both.err().contains(other.pid() + " fixture."), both.toString());
            }
            Cli.Result none = Cli.run("status", "--main", "NoSuchMain" + LAUNCHER);
            assertEquals(3, none.exit(), none.toString());
            assertTrue(none.err().contains("has a main class or jar matching"), none.toString());
        }
    }

    @Test
    void waitRedrawsOneLineOnATerminal() throws Exception {
        try (ChildJvm jvm = start("-Dfixture.block=true", "-javaagent:" + agent + "=packages=fixture,stragglerMillis=300")) {
            String out = lp4jJar(true, "apply", "--pid", String.valueOf(jvm.pid()), patch.toString(), "--wait", "--timeout", "3");
            long redraws = out.split("\u001b\\[K", -1).length - 1;
            assertTrue(redraws >= 5, "redrawn in place many times:\n" + out);
            // String.lines() would split at the carriage returns: a terminal's lines end in a newline only.
            List<String> lines = List.of(out.split("\n")).stream().filter(l -> l.contains("transition G0 -> G1")).toList();
            assertEquals(1, lines.size(), "on one line:\n" + out);
            assertTrue(lines.get(0).contains("\rtransition G0 -> G1 (local): running"), out);
            assertTrue(out.contains("stragglers 'pool-"), out);
            assertTrue(out.contains("lp4j: the transition to G1 is still running after 3 s"), out);
        }
    }

    /**
     * In prepared mode the agent's own thread opens the control socket, moments after the agent
     * started; until then livepatch4j.agent.control says "opening", and lp4j waits for the socket
     * instead of reporting an agent it cannot reach (or one started with control=off). A JVM that says
     * so and never opens one gets the "no control socket" answer, after the wait.
     */
    @Test
    void aSocketBeingOpenedIsWaitedForAndNeverTakenForControlOff() throws Exception {
        try (ChildJvm jvm = start("-Dlivepatch4j.agent.version=0.1.0", "-Dlivepatch4j.agent.control=opening")) {
            long began = System.nanoTime();
            Cli.Result r = Cli.run("status", "--pid", String.valueOf(jvm.pid()));
            long waited = (System.nanoTime() - began) / 1_000_000;
            assertTrue(r.exit() != 0 && r.err().contains("has no control socket") && !r.err().contains("control=off"), r.toString());
            assertTrue(waited >= 4_000, "lp4j answered after " + waited + " ms, without waiting for the socket");
        }
    }

    @Test
    void waitPrintsAPlainLineOnlyWhenSomethingChangesOnAPipe() throws Exception {
        try (ChildJvm jvm = start("-Dfixture.block=true", "-javaagent:" + agent + "=packages=fixture,stragglerMillis=300")) {
            String out = lp4jJar(false, "apply", "--pid", String.valueOf(jvm.pid()), patch.toString(), "--wait", "--timeout", "3");
            assertFalse(out.contains("\r") || out.contains("\u001b"), "no redraw on a pipe:\n" + out);
            long shown = out.lines().filter(l -> l.startsWith("transition G0 -> G1")).count();
            assertTrue(shown >= 1 && shown <= 3, "a line per change (running; then the straggler), not one per poll:\n" + out);
            assertTrue(out.contains("  straggler 'pool-"), out);
        }
    }

    /** Runs the packaged lp4j.jar, on a pseudo-terminal (script(1)) or with its output on a pipe; returns what it printed. */
    private static String lp4jJar(boolean terminal, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", System.getProperty("lp4j.jar")));
        cmd.addAll(List.of(args));
        if (terminal) {
            StringBuilder line = new StringBuilder();
            cmd.forEach(a -> line.append('\'').append(a.replace("'", "'\\''")).append("' "));
            cmd = List.of("script", "-qfec", line.toString(), "/dev/null");
        }
        Path log = Files.createTempFile("lp4j-out", ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
            .redirectInput(terminal ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "lp4j ended");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(4, p.exitValue(), "--wait timed out (exit 4):\n" + out);
        return out;
    }

    private static List<String> strings(JsonElement array) {
        List<String> list = new ArrayList<>();
        array.getAsJsonArray().forEach(e -> list.add(e.getAsString()));
        return list;
    }

    static {
        assertTrue(File.pathSeparator.equals(":"), "Linux");
    }
}
