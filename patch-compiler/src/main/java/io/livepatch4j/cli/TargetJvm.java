package io.livepatch4j.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.livepatch4j.control.ControlSockets;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A running JVM, found by pid: its agent's control socket ({@link ControlSockets}: derived from the
 * pid and checked, never taken from the JVM), and, only where it has none, the Attach API to read
 * its properties and to load the agent. Nothing is sent to a process before {@link HotSpotProcess}
 * has found it is a JVM that can take it.
 */
final class TargetJvm {

    private TargetJvm() {}

    /**
     * The agent's control client for {@code pid}, loading the agent first (with {@code agentOptions})
     * if {@code load} and it is absent.
     */
    static AgentClient connect(long pid, boolean load, Path agentJar, String agentOptions, PrintWriter out)
        throws Lp4jException {
        checkProcess(pid);
        HotSpotProcess.checkRunning(pid);
        ControlSockets.Located located = locate(pid);
        if (!located.found() && located.opening()) {
            located = awaitSocket(pid); // an agent that just started: its thread is opening the socket
        }
        if (located.found()) {
            if (agentOptions != null && !agentOptions.isEmpty()) {
                out.println("Note: JVM " + pid + " already runs the agent, with the options it was given when it "
                    + "loaded; --agent-options is not applied ('lp4j status' shows which patches it trusts).");
            }
            return checkVersion(new AgentClient(located));
        }
        HotSpotProcess.check(pid);
        Properties props = properties(pid);
        String failed = props.getProperty("livepatch4j.agent.error");
        if (failed != null && props.getProperty("livepatch4j.agent.version") == null) {
            // The options it failed with may have asked for more (trustedKeys=... beside a typo): it is
            // loaded again only with options the user gives here, never lp4j's defaults in their place.
            if (!load || agentOptions == null) {
                throw new Lp4jException(Lp4jException.TARGET, "the livepatch4j agent in JVM " + pid + " failed to start: "
                    + failed + "; that JVM runs without live patching. Fix what it says (agent options: docs/agent.md) and "
                    + "restart it, or load the agent again with 'lp4j apply --pid " + pid + " --agent-options OPTIONS "
                    + "PATCH' (--agent-options '' for the defaults; --trusted-keys too if it should accept only signed "
                    + "patches)");
            }
            out.println("Note: the livepatch4j agent in JVM " + pid + " failed to start: " + failed + "; loading it again "
                + "with the options given here.");
        }
        if (ControlSockets.PARKED_FOR_CHECKPOINT.equals(props.getProperty("livepatch4j.agent.control"))) {
            throw new Lp4jException(Lp4jException.TARGET, "the agent in JVM " + pid + " has closed its control socket for "
                + "a checkpoint (lp4j checkpoint); it opens it again after the restore, or once lp4j says the JVM goes "
                + "on (at the latest when lp4j checkpoint's --resume-after has passed): try again then");
        }
        if (props.getProperty("livepatch4j.agent.version") != null && props.getProperty("livepatch4j.agent.control") != null) {
            // A JVM that just started: the agent's thread is opening its socket ("opening"), or had not
            // yet when lp4j looked a moment ago.
            located = awaitSocket(pid);
            if (located.found()) {
                return checkVersion(new AgentClient(located));
            }
        }
        if (props.getProperty("livepatch4j.agent.version") != null) {
            throw new Lp4jException(Lp4jException.TARGET, props.getProperty("livepatch4j.agent.control") == null
                ? "the agent in JVM " + pid + " was started with control=off, so lp4j cannot reach it; use its JMX MBean "
                    + "io.livepatch4j:type=LivePatch instead"
                : "the agent in JVM " + pid + " has no control socket lp4j can use"
                    + (located.refused().isEmpty() ? "" : " (" + String.join("; ", located.refused()) + ")")
                    + "; see that JVM's log");
        }
        if (!load) {
            throw new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " has no livepatch4j agent; 'lp4j apply --pid "
                + pid + " PATCH' loads it");
        }
        loadAgent(pid, props, agentJar, agentOptions == null ? "" : agentOptions, out);
        String error = properties(pid).getProperty("livepatch4j.agent.error");
        if (error != null) {
            throw new Lp4jException(Lp4jException.TARGET, "the livepatch4j agent did not start in JVM " + pid + ": " + error
                + "; nothing changed there. Fix what it says (agent options: docs/agent.md) and apply again");
        }
        located = locate(pid);
        if (!located.found() && properties(pid).getProperty("livepatch4j.agent.control") != null) {
            located = awaitSocket(pid); // an agent in prepared mode that was still starting: its thread opens the socket
        }
        if (!located.found()) {
            throw new Lp4jException(Lp4jException.TARGET, "the agent loaded into JVM " + pid + " but opened no control "
                + "socket; see that JVM's log for the reason");
        }
        return checkVersion(new AgentClient(located).loadedNow());
    }

    /**
     * lp4j and the agent ship together: the control protocol is not a public API. An agent whose
     * version differs from lp4j's in major.minor is refused before any request that changes it.
     */
    private static AgentClient checkVersion(AgentClient agent) throws Lp4jException {
        com.google.gson.JsonElement v = agent.status().get("agentVersion");
        String problem = versionProblem(Lp4j.version(), v == null || v.isJsonNull() ? "unknown" : v.getAsString());
        if (problem != null) {
            throw new Lp4jException(Lp4jException.REFUSED, "JVM " + agent.pid() + " " + problem);
        }
        return agent;
    }

    /**
     * Null when lp4j {@code lp4j} can drive agent {@code agent}: the same major.minor, or either one
     * an unpackaged build ("dev"); else what is wrong and what to do.
     */
    static String versionProblem(String lp4j, String agent) {
        if (lp4j.equals("dev") || agent.equals("dev")) {
            return null;
        }
        if (majorMinor(lp4j).equals(majorMinor(agent))) {
            return null;
        }
        return "runs livepatch4j agent " + agent + ", and this lp4j is " + lp4j + ": they must have the same major.minor "
            + "version. Use the lp4j of livepatch4j-" + agent + "'s distribution for this JVM, or restart it with this "
            + "distribution's agent (agent/livepatch4j-agent.jar)";
    }

    private static String majorMinor(String version) {
        String[] parts = version.split("[.-]");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }

    /** The JVM's checked control sockets; none if it has no agent (or it may not be looked at). */
    static ControlSockets.Located locate(long pid) throws Lp4jException {
        return locate(pid, false);
    }

    /** As {@link ControlSockets#awaitSocket}: for an agent that is opening its socket. */
    private static ControlSockets.Located awaitSocket(long pid) throws Lp4jException {
        return locate(pid, true);
    }

    private static ControlSockets.Located locate(long pid, boolean await) throws Lp4jException {
        try {
            return await ? ControlSockets.awaitSocket(pid) : ControlSockets.locate(pid);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "cannot look for the control socket of process " + pid + " ("
                + HotSpotProcess.command(pid) + "): " + Lp4jException.describe(e) + "; lp4j sent it nothing. Is it a JVM "
                + "of yours? Run lp4j as the process's user, or as root", e);
        }
    }

    private static void checkProcess(long pid) throws Lp4jException {
        if (pid <= 0) {
            throw new Lp4jException(Lp4jException.USAGE, "--pid must be a process id, not " + pid);
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new Lp4jException(Lp4jException.TARGET, "there is no process with pid " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new Lp4jException(Lp4jException.USAGE, "pid " + pid + " is lp4j itself");
        }
        String owner = owner(pid);
        String me = System.getProperty("user.name");
        if (owner != null && !owner.equals(me) && !"root".equals(me)) {
            throw new Lp4jException(Lp4jException.TARGET, "process " + pid + " belongs to user " + owner
                + "; run lp4j as that user");
        }
    }

    /**
     * The agent's {@code livepatch4j.agent.control} property in JVM {@code pid} (its socket's path,
     * "opening", or {@link ControlSockets#PARKED_FOR_CHECKPOINT}), or null: no such property, or not a
     * JVM lp4j may attach to (lp4j checkpoint then checkpoints the process as it is).
     */
    static String controlProperty(long pid) {
        try {
            checkProcess(pid);
            HotSpotProcess.check(pid);
            return properties(pid).getProperty("livepatch4j.agent.control");
        } catch (Lp4jException | RuntimeException e) {
            return null;
        }
    }

    private static Properties properties(long pid) throws Lp4jException {
        VirtualMachine vm = attach(pid);
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " stopped answering the Attach API (" + e.getMessage()
                + "); did it exit?", e);
        } finally {
            detach(vm);
        }
    }

    private static VirtualMachine attach(long pid) throws Lp4jException {
        VirtualMachine vm;
        AttachBridge.ensure(pid);
        try {
            vm = VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "cannot attach to JVM " + pid + ": " + e.getMessage()
                + " (was it started with -XX:+DisableAttachMechanism?)", e);
        }
        // The socket the JVM answered on must be its own before anything is sent through it: someone
        // may have created it while the Attach API waited for the JVM to.
        try {
            HotSpotProcess.checkAttachSocket(pid);
        } catch (Lp4jException e) {
            detach(vm);
            throw e;
        }
        return vm;
    }

    private static void loadAgent(long pid, Properties props, Path agentJar, String agentOptions, PrintWriter out)
        throws Lp4jException {
        if (!Files.isRegularFile(agentJar)) {
            throw new Lp4jException(Lp4jException.INTERNAL, "the agent jar " + agentJar + " is missing; rebuild lp4j "
                + "(mvn package) or give --agent-jar");
        }
        // The JVM resolves a relative path in its own folder, not ours, and lp4j is often root: load
        // the very file checked, and only one no other user could have put there or changed.
        try {
            agentJar = agentJar.toRealPath();
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.USAGE, "cannot read the agent jar " + agentJar + ": " + Lp4jException.describe(e), e);
        }
        String why = io.livepatch4j.patch.TrustedPaths.whyUntrusted(agentJar);
        if (why != null) {
            throw new Lp4jException(Lp4jException.REFUSED, "refusing to load " + agentJar + " into JVM " + pid + ": " + why
                + ", so another user could have put it there; use an agent jar in a folder only you or root can write");
        }
        String spec = props.getProperty("java.specification.version", "17");
        out.println("JVM " + pid + " has no livepatch4j agent: loading it (attach mode; the classes a patch touches are "
            + "prepared by one retransformation when it is applied).");
        int feature = 17;
        try {
            feature = Integer.parseInt(spec);
        } catch (NumberFormatException ignored) {
            // an old "1.8"-style version: no dynamic-loading warning there
        }
        VirtualMachine vm = attach(pid);
        try (AgentJarPlacement placed = AgentJarPlacement.forJvm(pid, agentJar)) {
            if (feature >= 21 && !allowsDynamicAgents(vm)) {
                out.println("Note: JDK " + feature + " prints a warning in that JVM's log when an agent is loaded into "
                    + "it while it runs (JEP 451), and future JDKs will refuse unless it was started with "
                    + "-XX:+EnableDynamicAgentLoading. Start servers you may patch with that flag, or with "
                    + "-javaagent:livepatch4j-agent.jar (prepared mode).");
            }
            vm.loadAgent(placed.pathInTarget(), agentOptions);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " refused the agent: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " stopped answering while the agent loaded ("
                + e.getMessage() + "); did it exit?", e);
        } finally {
            detach(vm);
        }
    }

    /**
     * True if the JVM's options turn on -XX:+EnableDynamicAgentLoading (the last of + and - wins, as in
     * the JVM): it then loads the agent without a warning. HotSpot's agent property sun.jvm.args holds
     * the options, JAVA_TOOL_OPTIONS included; if it cannot be read we say nothing was found.
     */
    static boolean allowsDynamicAgents(VirtualMachine vm) {
        try {
            return enablesDynamicAgents(vm.getAgentProperties().getProperty("sun.jvm.args", ""));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean enablesDynamicAgents(String jvmArgs) {
        return jvmArgs.lastIndexOf("-XX:+EnableDynamicAgentLoading")
            > jvmArgs.lastIndexOf("-XX:-EnableDynamicAgentLoading");
    }

    private static void detach(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the JVM went away; nothing to release
        }
    }

    /** The user who owns process {@code pid}; null if it cannot be read. */
    static String owner(long pid) {
        try {
            return Files.getOwner(Path.of("/proc/" + pid)).getName();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The agent jar lp4j loads, unless --agent-jar or LP4J_AGENT_JAR says otherwise: beside lp4j's jar
     * in a checkout's build (patch-compiler/target/), or the distribution's agent/ folder next to its
     * lib/ (kept off lp4j's class path: the agent carries its own copy of the control classes).
     */
    static Path defaultAgentJar() {
        String env = System.getenv("LP4J_AGENT_JAR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try {
            Path dir = Path.of(TargetJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            Path beside = dir.resolve(AGENT_JAR);
            Path distribution = dir.resolveSibling("agent").resolve(AGENT_JAR);
            return Files.isRegularFile(beside) || !Files.isRegularFile(distribution) ? beside : distribution;
        } catch (URISyntaxException e) {
            return Path.of(AGENT_JAR);
        }
    }

    private static final String AGENT_JAR = "livepatch4j-agent.jar";
}
