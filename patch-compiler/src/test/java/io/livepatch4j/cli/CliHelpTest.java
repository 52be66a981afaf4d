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

    /**
     * Review of issue 15: checkpoint, restore and spawn handed --version and -V to lp4j-native (exit
     * 2, "lp4j-native is not built" where it is not), though docs/cli.md promises them on every command.
     */
    @ParameterizedTest(name = "lp4j {0} --version")
    @MethodSource("commands")
    void everyCommandPrintsTheVersion(String command) {
        if (command.equals("help")) {
            return; // help takes a command name
        }
        for (String flag : List.of("--version", "-V")) {
            Cli.Result r = Cli.run(command, flag);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().startsWith("lp4j " + Lp4j.version() + " (livepatch4j)"), r.toString());
            assertEquals("", r.err(), r.toString());
        }
    }

    /**
     * Review of issue 15: a value picocli could not convert ('--to abc', '--pid x') ended the command
     * before --help was seen: exit 2 and "Invalid value" instead of the help that was asked for.
     */
    @Test
    void helpIsShownEvenWhenAnotherOptionHasABadValue() {
        for (String[] args : List.of(new String[] {"rollback", "--to", "abc", "--help"},
            new String[] {"apply", "--pid", "x", "-h"}, new String[] {"status", "--bogus", "--help"})) {
            Cli.Result r = Cli.run(args);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("Usage: lp4j " + args[0]), r.toString());
            assertEquals("", r.err(), r.toString());
        }
        Cli.Result v = Cli.run("rollback", "--to", "abc", "--version");
        assertEquals(0, v.exit(), v.toString());
        assertTrue(v.out().startsWith("lp4j " + Lp4j.version()), v.toString());
    }

    /**
     * Review of issue 15: with --json, a failure printed nothing on stdout, so a script that parses
     * stdout got an empty document instead of the error. Now stdout has one object with the exit code
     * and the message (the lp4j: line on stderr stays), unless the command printed its own.
     */
    @Test
    void aFailureWithJsonIsOneJsonObjectOnStdout() {
        assertJsonError(Cli.run("status", "--pid", "999999999", "--json"), "status", 3, "no process with pid");
        assertJsonError(Cli.run("inspect", "no-such-file.lp4j", "--json"), "inspect", 2, "no-such-file.lp4j");
        assertJsonError(Cli.run("rollback", "--to", "abc", "--json"), "rollback", 2, "'abc'");
        assertJsonError(Cli.run("apply", "--pid", "999999999", "no-such-file.lp4j", "--json"), "apply", 2, "no-such-file");
        assertJsonError(Cli.run("build", "--old", "no-such-old.jar", "--new", "no-such-new.jar", "-o", "x.lp4j", "--json"),
            "build", 2, "no-such-old.jar");
        Cli.Result plain = Cli.run("status", "--pid", "999999999");
        assertEquals("", plain.out(), "without --json stdout stays empty: " + plain);
    }

    private static void assertJsonError(Cli.Result r, String command, int exit, String says) {
        assertEquals(exit, r.exit(), r.toString());
        assertTrue(r.err().startsWith("lp4j: "), "the lp4j: line stays on stderr: " + r);
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(1, o.get("format").getAsInt(), r.toString());
        assertEquals(command, o.get("command").getAsString(), r.toString());
        com.google.gson.JsonObject error = o.getAsJsonObject("error");
        assertEquals(exit, error.get("exitCode").getAsInt(), r.toString());
        assertTrue(error.get("message").getAsString().contains(says), r.toString());
    }

    /** Review of issue 15: '--timeout -1' was taken, and --wait then gave up at once "after -1 s" (exit 4). */
    @Test
    void aNegativeTimeoutIsAUsageError() {
        for (String command : List.of("apply", "rollback")) {
            Cli.Result r = command.equals("apply")
                ? Cli.run("apply", "--pid", "999999999", "x.lp4j", "--wait", "--timeout", "-1")
                : Cli.run("rollback", "--pid", "999999999", "--wait", "--timeout", "-1");
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().contains("--timeout"), r.toString());
        }
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
        Cli.Result none = Cli.run();
        assertEquals(2, none.exit(), "no command is a usage error: " + none);
        assertTrue(none.out().isEmpty() && none.err().contains("Usage: lp4j"), "its usage goes to stderr: " + none);
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
        // Review of issue 15: it offered LOCAL GLOBAL REDEFINE, so '--strategy l<TAB>', as the docs and
        // --help write the strategies, completed nothing.
        assertTrue(r.out().contains("(\"local\" \"global\" \"redefine\")") && !r.out().contains("\"LOCAL\""),
            "the strategies as docs/cli.md writes them");
    }

    /**
     * lp4j adds only the command a run names (picocli's reflection over every command was most of
     * lp4j's own start); help, completion, no command and a misspelt one still see every command.
     */
    @Test
    void aRunBuildsOnlyTheCommandItNamesAndAMisspeltOneIsStillSuggested() {
        Terminal plain = Terminal.plain(new PrintWriter(new StringWriter()));
        assertEquals(List.of("status"), List.copyOf(Lp4j.commandLine(plain, "status").getSubcommands().keySet()));
        List<String> every = commands().toList();
        assertTrue(every.size() > 10, every.toString());
        for (String first : new String[] {null, "help", "completion", "--help", "statsu"}) {
            assertEquals(every, List.copyOf(Lp4j.commandLine(plain, first).getSubcommands().keySet()), "first " + first);
        }
        Cli.Result typo = Cli.run("statsu", "--pid", "1");
        assertEquals(2, typo.exit(), typo.toString());
        assertTrue(typo.err().contains("Did you mean") && typo.err().contains("status"), typo.toString());
        Cli.Result enumValue = Cli.run("rollback", "--pid", "1", "--strategy", "sideways");
        assertTrue(enumValue.err().contains("LOCAL, GLOBAL, REDEFINE"), "enum values, case-insensitive: " + enumValue);
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
