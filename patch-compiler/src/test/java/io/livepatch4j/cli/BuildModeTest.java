package io.livepatch4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Sources;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.PatchState;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lp4j build's mode (cumulative unless --stack) and --state, as written to the patch and shown by inspect and --json. */
class BuildModeTest {

    private static final Path V1 = Sources.compile("mode1", Map.of("p.Fix", "package p; public class Fix { public String f() { return \"a\"; } }"));
    private static final Path V2 = Sources.compile("mode2", Map.of("p.Fix", "package p; public class Fix { public String f() { return \"b\"; } }"));

    private static Path out() throws Exception {
        return Files.createTempDirectory("lp4j-mode").resolve("p.lp4j");
    }

    @Test
    void buildWritesACumulativePatchByDefaultAndAStackedOneWithStack() throws Exception {
        Path cumulative = out();
        Cli.Result r = Cli.run("build", "--old", V1.toString(), "--new", V2.toString(), "-o", cumulative.toString(),
            "--state", "session-format=2", "--state", "cache=1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("cumulative: replaces whatever patch is live, in one transition; states: "
            + "session-format=2, cache=1"), r.toString());
        assertTrue(PatchFormat.read(cumulative).replace());
        assertEquals(List.of(new PatchState("session-format", 2), new PatchState("cache", 1)),
            PatchFormat.read(cumulative).states());
        Cli.Result shown = Cli.run("inspect", cumulative.toString());
        assertTrue(shown.out().contains("  cumulative: replaces whatever patch is live, in one transition\n"
            + "  states: session-format=2, cache=1"), shown.toString());

        Path stacked = out();
        Cli.Result s = Cli.run("build", "--old", V1.toString(), "--new", V2.toString(), "-o", stacked.toString(), "--stack",
            "--json");
        assertEquals(0, s.exit(), s.toString());
        JsonObject patch = JsonParser.parseString(s.out()).getAsJsonObject().getAsJsonObject("patch");
        assertFalse(patch.get("replace").getAsBoolean());
        assertEquals(0, patch.getAsJsonArray("states").size());
        assertFalse(PatchFormat.read(stacked).replace());
        assertTrue(Cli.run("inspect", stacked.toString()).out().contains("  states: none"));
    }

    @Test
    void badStatesAreUsageErrors() throws Exception {
        for (List<String> states : List.of(List.of("session-format"), List.of("session-format=0"), List.of("=2"),
            List.of("a=1", "a=2"))) {
            java.util.List<String> args = new java.util.ArrayList<>(List.of("build", "--old", V1.toString(), "--new",
                V2.toString(), "-o", out().toString()));
            states.forEach(st -> args.addAll(List.of("--state", st)));
            Cli.Result r = Cli.run(args.toArray(new String[0]));
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().startsWith("lp4j: --state"), r.toString());
        }
    }
}
