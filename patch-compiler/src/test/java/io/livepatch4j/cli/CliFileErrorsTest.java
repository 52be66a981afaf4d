package io.livepatch4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of issue 15: what lp4j says when a file cannot be written or read. java.nio's message is
 * often the path alone, and lp4j printed it as the reason ("lp4j: cannot write /nonexistent/x.lp4j:
 * /nonexistent/x.lp4j", "lp4j: /proc/lp4j-signing.key"); and build --json reported the patch file as
 * written ("file" in "patch") before it tried to write it.
 */
class CliFileErrorsTest {

    private static final Path V1 = Sources.compile("fe1", Map.of("p.Fix", "package p; public class Fix { public String f() { return \"a\"; } }"));
    private static final Path V2 = Sources.compile("fe2", Map.of("p.Fix", "package p; public class Fix { public String f() { return \"b\"; } }"));

    @Test
    void aPatchThatCannotBeWrittenSaysWhyAndJsonDoesNotClaimItWasWritten() throws Exception {
        Path missing = Files.createTempDirectory("lp4j-fe").resolve("no-such-folder").resolve("fix.lp4j");
        Cli.Result text = Cli.run("build", "--old", V1.toString(), "--new", V2.toString(), "-o", missing.toString());
        assertEquals(2, text.exit(), text.toString());
        assertTrue(text.err().contains("no such file or folder"), text.toString());
        assertFalse(text.out().contains("wrote "), text.toString());

        Cli.Result json = Cli.run("build", "--old", V1.toString(), "--new", V2.toString(), "-o", missing.toString(), "--json");
        assertEquals(2, json.exit(), json.toString());
        JsonObject patch = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonObject("patch");
        assertTrue(patch.get("built").getAsBoolean(), json.toString());
        assertFalse(patch.has("file"), "not written, so no file: " + json);
        assertFalse(Files.exists(missing));
    }

    @Test
    void keysThatCannotBeWrittenOrReadSayWhy() throws Exception {
        Path file = Files.createTempFile("lp4j-fe", ".txt");
        Cli.Result keygen = Cli.run("keygen", "-o", file.resolve("sub").toString());
        assertEquals(2, keygen.exit(), keygen.toString());
        assertTrue(keygen.err().startsWith("lp4j: cannot write the key pair into ") && (keygen.err().contains("Not a directory")
            || keygen.err().contains("not a folder") || keygen.err().contains("no such file or folder")), keygen.toString());

        Cli.Result built = Cli.run("build", "--old", V1.toString(), "--new", V2.toString(), "-o",
            file.resolveSibling(file.getFileName() + ".lp4j").toString());
        assertEquals(0, built.exit(), built.toString());
        Cli.Result sign = Cli.run("sign", file.resolveSibling(file.getFileName() + ".lp4j").toString(), "--key",
            file.resolveSibling("no-such.key").toString());
        assertEquals(2, sign.exit(), sign.toString());
        assertTrue(sign.err().contains("no-such.key: no such file or folder") && sign.err().contains("lp4j keygen"),
            sign.toString());
    }
}
