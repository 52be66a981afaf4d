package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A typo in an agent option (issue 15): the JVM starts and serves without live patching, its log
 * gets one line and no stack trace, and lp4j says why the agent is not there instead of "no agent".
 */
@Timeout(60)
class AgentStartFailureIT {

    private static final String V1 = Fixture.SUBJECT_V1;

    @Test
    void aTypoInAnOptionIsOneLineInTheLogAndLp4jSaysWhy() throws Exception {
        Fixture fix = Fixture.subject("typo", V1, V1, "v1", "v1");
        Path v1 = Sources.compile("v1", fix.v1Build());
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main",
            "-javaagent:" + System.getProperty("lp4j.agent.jar") + "=pakages=fixture")) {
            String out = jvm.awaitLine(l -> l.startsWith("OUT"), 10);
            assertEquals("OUT v1", out, "the JVM runs on without the agent");
            List<String> printed = jvm.printed();
            List<String> ours = printed.stream().filter(l -> l.contains("livepatch4j")).toList();
            assertEquals(1, ours.size(), "one line about the agent: " + printed);
            assertTrue(ours.get(0).contains("the agent did not start") && ours.get(0).contains("'pakages'"), ours.get(0));
            assertFalse(printed.stream().anyMatch(l -> l.trim().startsWith("at ")), "no stack trace: " + printed);

            Cli.Result status = Cli.run("status", "--pid", String.valueOf(jvm.pid()));
            assertEquals(3, status.exit(), status.toString());
            assertTrue(status.err().contains("failed to start: unknown livepatch4j agent option 'pakages'"), status.toString());
            assertFalse(status.err().contains("has no livepatch4j agent"), status.toString());
        }
    }

    /**
     * Review of issue 15: "Attach mode reports the error to the attaching tool and changes nothing"
     * (docs/agent.md). A typo in lp4j apply --agent-options left livepatch4j.agent.error set in the JVM,
     * and lp4j then refused every later apply on that property alone, the corrected one too (the very
     * command its message suggests), so the JVM could not be patched until restarted; the JVM's log got
     * a stack trace and the instrument library's assertion lines.
     */
    @Test
    void aTypoInAgentOptionsOnAttachChangesNothingAndTheCorrectedApplyLoadsTheAgent() throws Exception {
        Fixture fix = Fixture.subject("attachtypo", V1, V1.replace("\"v1\"", "\"v2\""), "v1", "v2");
        Path v1 = Sources.compile("v1", fix.v1Build());
        Path v2 = Sources.compile("v2", fix.v2Build());
        Path patch = java.nio.file.Files.createTempDirectory("lp4j-typo").resolve("fix.lp4j");
        Cli.Result built = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString());
        assertEquals(0, built.exit(), built.toString());
        String agent = System.getProperty("lp4j.agent.jar");
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            String pid = String.valueOf(jvm.pid());
            Cli.Result typo = Cli.run("apply", "--pid", pid, patch.toString(), "--agent-jar", agent,
                "--agent-options", "pakages=fixture");
            assertEquals(3, typo.exit(), typo.toString());
            Cli.Result fixed = Cli.run("apply", "--pid", pid, patch.toString(), "--wait", "--agent-jar", agent,
                "--agent-options", "stragglerMillis=500");
            assertEquals(0, fixed.exit(), "the corrected apply loads the agent and applies: " + fixed);
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
            assertFalse(jvm.printed().stream().anyMatch(l -> l.trim().startsWith("at ")), "no stack trace: " + jvm.printed());
        }
    }

    /**
     * Review of issue 15: apply to a JVM whose -javaagent failed to start (a typo in its options)
     * said "has no livepatch4j agent: loading it" and loaded the agent with lp4j's default options:
     * a JVM started to accept only signed patches (trustedKeys=..., beside the typo) then took any.
     * lp4j says the agent failed to start and why, and loads it again only with options given on
     * lp4j's command line.
     */
    @Test
    void applyToAJvmWhoseAgentFailedSaysSoAndLoadsItOnlyWithOptionsGiven() throws Exception {
        Fixture fix = Fixture.subject("failedthenapply", V1, V1.replace("\"v1\"", "\"v2\""), "v1", "v2");
        Path v1 = Sources.compile("v1", fix.v1Build());
        Path v2 = Sources.compile("v2", fix.v2Build());
        Path patch = java.nio.file.Files.createTempDirectory("lp4j-failed").resolve("fix.lp4j");
        assertEquals(0, Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString()).exit());
        String agent = System.getProperty("lp4j.agent.jar");
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main", "-javaagent:" + agent + "=pakages=fixture")) {
            assertEquals("OUT v1", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
            String pid = String.valueOf(jvm.pid());
            Cli.Result plain = Cli.run("apply", "--pid", pid, patch.toString(), "--agent-jar", agent);
            assertEquals(3, plain.exit(), plain.toString());
            assertTrue(plain.err().contains("failed to start: unknown livepatch4j agent option 'pakages'")
                && plain.err().contains("--agent-options"), plain.toString());
            assertFalse(plain.out().contains("loading it"), "nothing loaded: " + plain);

            Cli.Result given = Cli.run("apply", "--pid", pid, patch.toString(), "--wait", "--agent-jar", agent,
                "--agent-options", "packages=fixture");
            assertEquals(0, given.exit(), given.toString());
            assertTrue(given.out().contains("failed to start: unknown livepatch4j agent option 'pakages'"), given.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    /**
     * A second load into a JVM whose agent runs (jcmd JVMTI.agent_load, another tool) changes nothing;
     * its options were dropped in silence, a typo in them too. Now one line says so, and lp4j still
     * reports the agent as running (a typo there is not a failed start).
     */
    @Test
    void aSecondLoadsOptionsAreReportedAsIgnoredAndTheAgentRunsOn() throws Exception {
        Fixture fix = Fixture.subject("secondload", V1, V1, "v1", "v1");
        Path v1 = Sources.compile("v1", fix.v1Build());
        String agent = System.getProperty("lp4j.agent.jar");
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main", "-javaagent:" + agent + "=packages=fixture")) {
            jvm.awaitLine(l -> l.startsWith("OUT"), 10);
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(String.valueOf(jvm.pid()));
            try {
                vm.loadAgent(agent, "pakages=other");
            } finally {
                vm.detach();
            }
            String line = jvm.awaitLine(l -> l.contains("second load"), 10);
            assertTrue(line.contains("(pakages=other) were ignored") && line.contains("not valid either")
                && line.contains("'pakages'"), line);
            Cli.Result status = Cli.run("status", "--pid", String.valueOf(jvm.pid()));
            assertEquals(0, status.exit(), "the agent runs on: " + status);
            assertFalse(status.err().contains("failed to start"), status.toString());
        }
    }
}
