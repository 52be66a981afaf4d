package io.livepatch4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cumulative patches through lp4j against a running JVM (attach mode): build writes cumulative
 * patches unless --stack, with --state; a cumulative patch replaces the live one in one transition;
 * status --json says what each generation includes; the state rule and the base rule refuse, and the
 * JVM keeps serving the code it ran.
 */
class CumulativeCliIT {

    private static final String SUBJECT = """
        package fixture;
        public class Subject {
            public static String probe() { return new Tariff().rate() + " " + new Invoice().total(); }
        }""";

    private static String method(String cls, String name, String value) {
        return "package fixture; public class " + cls + " { public String " + name + "() { return \"" + value + "\"; } }";
    }

    /** A build of the fixture: Main, Subject, and Tariff and Invoice answering {@code rate} and {@code total}. */
    private static Path build(String label, String rate, String total) {
        Map<String, String> sources = new HashMap<>(Fixture.subject(label, SUBJECT, SUBJECT, "", "").v1Build());
        sources.put("fixture.Tariff", method("Tariff", "rate", rate));
        sources.put("fixture.Invoice", method("Invoice", "total", total));
        return Sources.compile(label, sources);
    }

    private static Cli.Result lp4j(String... args) {
        return Cli.run(args);
    }

    private static Path patch(Path dir, String id, Path old, Path neu, String... more) {
        Path out = dir.resolve(id + ".lp4j");
        List<String> args = new ArrayList<>(List.of("build", "--old", old.toString(), "--new", neu.toString(), "-o",
            out.toString(), "--id", id));
        args.addAll(List.of(more));
        Cli.Result r = lp4j(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.toString());
        return out;
    }

    private static JsonObject generation(JsonObject status, long number) {
        for (JsonElement g : status.getAsJsonArray("generations")) {
            if (g.getAsJsonObject().get("number").getAsLong() == number) {
                return g.getAsJsonObject();
            }
        }
        throw new AssertionError("no G" + number + " in " + status);
    }

    private static List<String> patches(JsonObject generation) {
        List<String> ids = new ArrayList<>();
        generation.getAsJsonArray("patches").forEach(p -> ids.add(p.getAsString()));
        return ids;
    }

    @Test
    void cumulativePatchReplacesTheLivePatchThroughLp4j() throws Exception {
        Path v1 = build("v1", "rate-v1", "total-v1");
        Path a = build("a", "rate-A", "total-A");
        Path b = build("b", "rate-v1", "total-B");
        Path c = build("c", "rate-v1", "total-C");
        Path dir = Files.createTempDirectory("lp4j-cumulative");
        String agent = System.getProperty("lp4j.agent.jar");

        Path patchA = patch(dir, "A", v1, a, "--state", "session-format=2");
        Cli.Result inspected = lp4j("inspect", patchA.toString());
        assertTrue(inspected.out().contains("cumulative: replaces whatever patch is live, in one transition"), inspected.toString());
        assertTrue(inspected.out().contains("states: session-format=2"), inspected.toString());
        Path patchB = patch(dir, "B", v1, b);
        Path patchB2 = patch(dir, "B2", v1, b, "--state", "session-format=2");
        Path patchC = patch(dir, "C", b, c, "--stack", "--state", "session-format=2");
        assertTrue(lp4j("inspect", patchC.toString()).out().contains("stacked: applies on top of the live patch it was built from"));
        Path patchD = patch(dir, "D", c, build("d", "rate-v1", "total-D"), "--state", "session-format=2");

        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            String pid = String.valueOf(jvm.pid());
            Cli.Result applied = lp4j("apply", "--pid", pid, patchA.toString(), "--wait", "--agent-jar", agent);
            assertEquals(0, applied.exit(), applied.toString());
            assertTrue(applied.out().contains("G1 includes patches A (cumulative"), applied.toString());
            jvm.skipOutput();
            assertEquals("OUT rate-A total-A", jvm.awaitLine(l -> l.startsWith("OUT"), 10));

            Cli.Result refused = lp4j("apply", "--pid", pid, patchB.toString());
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("patch B does not support state 'session-format' version 2 that live patch A "
                + "set up; build it with --state session-format=2 (or higher)"), refused.toString());
            jvm.skipOutput();
            assertEquals("OUT rate-A total-A", jvm.awaitLine(l -> l.startsWith("OUT"), 10), "unchanged, still serving");

            Cli.Result replaced = lp4j("apply", "--pid", pid, patchB2.toString(), "--wait");
            assertEquals(0, replaced.exit(), replaced.toString());
            assertTrue(replaced.out().contains("G1 -> G2"), replaced.toString());
            assertTrue(replaced.out().contains("(local, 2 classes)"), "Tariff, back to v1, moves in the same transition:\n"
                + replaced);
            jvm.skipOutput();
            assertEquals("OUT rate-v1 total-B", jvm.awaitLine(l -> l.startsWith("OUT"), 10));

            Cli.Result stacked = lp4j("apply", "--pid", pid, patchC.toString(), "--wait");
            assertEquals(0, stacked.exit(), stacked.toString());
            jvm.skipOutput();
            assertEquals("OUT rate-v1 total-C", jvm.awaitLine(l -> l.startsWith("OUT"), 10));

            Cli.Result wrongBase = lp4j("apply", "--pid", pid, patchD.toString());
            assertEquals(1, wrongBase.exit(), wrongBase.toString());
            assertTrue(wrongBase.err().contains("fixture.Invoice: this patch replaces live patches, so it must be built "
                + "against the build this JVM started with") && wrongBase.err().contains("build it with --stack"),
                wrongBase.toString());

            Cli.Result json = lp4j("status", "--pid", pid, "--json");
            assertEquals(0, json.exit(), json.toString());
            JsonObject status = JsonParser.parseString(json.out()).getAsJsonObject();
            assertEquals(3, status.get("currentGeneration").getAsLong(), "the refusals made no generation");
            assertEquals(List.of("A"), patches(generation(status, 1)));
            assertEquals(List.of("B2"), patches(generation(status, 2)));
            assertEquals(List.of("B2", "C"), patches(generation(status, 3)));
            assertEquals(2, generation(status, 3).getAsJsonObject("states").get("session-format").getAsInt());
            Cli.Result text = lp4j("status", "--pid", pid);
            assertTrue(text.out().contains("includes patches B2, C; states session-format=2"), text.toString());
        }
    }
}
