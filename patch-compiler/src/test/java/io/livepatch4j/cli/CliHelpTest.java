package io.livepatch4j.cli;

import io.livepatch4j.cli.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Help, version and completion on every command: what a new user types first must work, even when
 * the command has required options, and the completion script must know every command.
 */
class CliHelpTest {

    /** Every command lp4j has, read from its own command tree so that a new one is tested too. */
    static Stream<String> commands() {
        return Lp4j.commandLine(Terminal.plain(new PrintWriter(new StringWriter()))).getSubcommands().keySet().stream();
    }

    @ParameterizedTest(name = "lp4j {0} --help")
    @MethodSource("commands")
    void everyCommandPrintsItsHelpAndExitsZero(String command) {
        for (String flag : List.of("--help", "-h")) {
            Cli.Result r = Cli.run(command, flag);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("Usage: lp4j " + command), r.toString());
            assertEquals("", r.err(), r.toString());
        }
    }

    @ParameterizedTest(name = "lp4j {0} --version")
    @MethodSource("commands")
    void everyCommandPrintsTheVersion(String command) {
        if (command.equals("help") || NativeCommand.NAMES.contains(command)) {
            return; // help takes a command name; the native commands pass their arguments to lp4j-native
        }
        Cli.Result r = Cli.run(command, "--version");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("lp4j " + Lp4j.version() + " (livepatch4j)"), r.toString());
    }

    @Test
    void helpIsShownEvenWhenRequiredOptionsAreMissing() {
        Cli.Result r = Cli.run("build", "--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("--old") && r.out().contains("--dry-run"), r.toString());
        Cli.Result missing = Cli.run("build");
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("run 'lp4j build --help' for usage"), missing.toString());
    }

    @Test
    void rootVersionAndHelp() {
        Cli.Result v = Cli.run("--version");
        assertEquals(0, v.exit(), v.toString());
        assertTrue(v.out().startsWith("lp4j "), v.toString());
        Cli.Result h = Cli.run("--help");
        assertEquals(0, h.exit(), h.toString());
        assertTrue(h.out().contains("completion"), h.toString());
    }

    @Test
    void choicesAreCheckedWithTheirDefaultInHelp() {
        Cli.Result h = Cli.run("apply", "--help");
        assertTrue(h.out().contains("(default: local)") && h.out().contains("(default: 300 s)"), h.toString());
        Cli.Result bad = Cli.run("rollback", "--pid", "1", "--strategy", "sideways");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("sideways") && bad.err().contains("LOCAL, GLOBAL, REDEFINE"), bad.toString());
    }

    @Test
    void completionScriptIsGeneratedForEveryCommandAndItsOptions() {
        Cli.Result r = Cli.run("completion");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().lines().findFirst().orElse(""));
        assertTrue(r.out().contains("complete -F _complete_lp4j"), "registers the completion function");
        commands().forEach(c -> assertTrue(r.out().contains(c), "mentions " + c));
        assertTrue(r.out().contains("--strategy") && r.out().contains("--to") && r.out().contains("--main"),
            "and the subcommands' options");
    }

    @Test
    void lp4jAndAgentOfTheSameMajorMinorWorkTogether() {
        assertNull(TargetJvm.versionProblem("0.1.0", "0.1.3"));
        assertNull(TargetJvm.versionProblem("dev", "0.9.0"));
        String problem = TargetJvm.versionProblem("0.2.0", "0.1.0");
        assertTrue(problem != null && problem.contains("agent 0.1.0") && problem.contains("lp4j is 0.2.0")
            && problem.contains("same major.minor") && problem.contains("livepatch4j-0.1.0"), problem);
    }
}
