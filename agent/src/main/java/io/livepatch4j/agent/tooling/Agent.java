package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.NewInstances;
import io.livepatch4j.patch.sign.PatchSigning;

import java.lang.instrument.Instrumentation;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.FutureTask;

/**
 * The tooling's entry points, called by the launcher ({@code io.livepatch4j.agent.launcher}).
 * {@code premain}: the JVM started with -javaagent; the classes in {@code packages} get their
 * prologue as they load (prepared mode). {@code agentmain}: loaded into a running JVM; the classes
 * a patch touches are prepared when it is applied (attach mode). Loading twice is harmless: the
 * second load does nothing.
 *
 * <p>The agent is quiet when all is well: it logs warnings and errors, and the patches applied and
 * rolled back; {@code debug=on} adds what it does at start and how long each step takes.
 */
public final class Agent {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");
    private static volatile boolean started;

    private Agent() {}

    /**
     * A failure to start is thrown to the launcher, which reports it in one line and lets the JVM run
     * on without live patching (AgentLauncher.failed): a patch tool must not keep a server from
     * starting. With {@code debug=on} the stack trace is logged here first.
     */
    public static void premain(String args, Instrumentation inst) throws Exception {
        startOrLog(args, inst, "prepared");
    }

    /**
     * As premain, into a running JVM. The attaching tool reads {@code livepatch4j.agent.error} (lp4j
     * does), and a later load with other options tries again.
     */
    public static void agentmain(String args, Instrumentation inst) throws Exception {
        startOrLog(args, inst, "attach");
    }

    private static void startOrLog(String args, Instrumentation inst, String mode) throws Exception {
        try {
            start(args, inst, mode);
        } catch (Exception | LinkageError e) {
            if (AgentLog.debugging()) {
                LOG.log(System.Logger.Level.ERROR, "livepatch4j agent did not start", e);
            }
            throw e;
        }
    }

    private static synchronized void start(String args, Instrumentation inst, String mode) throws Exception {
        if (started) {
            ignoredLoad(args);
            return;
        }
        System.clearProperty("livepatch4j.agent.error"); // this attempt's outcome replaces the last one's
        StartSteps steps = new StartSteps();
        AgentOptions options = AgentOptions.parse(args, System.getenv(), System.getProperties());
        AgentLog.enableDebug(options.debug());
        if (!inst.isRetransformClassesSupported() || !inst.isRedefineClassesSupported()) {
            throw new IllegalStateException("this JVM does not support class retransformation");
        }
        List<PublicKey> trusted = options.trustedKeys() == null ? List.of()
            : PatchSigning.readTrustedKeys(options.trustedKeys());
        steps.done("options");
        BootstrapJar.append(inst);
        NewInstances.useSerializationConstructors(SerializationConstructors::of);
        Threads.init(inst);
        CracFacade.install(inst);
        steps.done("bootstrap runtime");
        PreparedClasses prepared = new PreparedClasses(options.packagePrefixes());
        io.livepatch4j.agent.bootstrap.AppCalls.configure(options.packagePrefixes());
        if ("attach".equals(mode)) {
            io.livepatch4j.agent.bootstrap.QueueRunner.attachedToRunningJvm();
        }
        inst.addTransformer(prepared, true);
        steps.done("prepared classes");
        FutureTask<Patcher> patcher = new FutureTask<>(() -> StartInBackground.withEvents(
            () -> new Patcher(inst, prepared, options, trusted, mode)));
        LivePatch.install(patcher);
        if (options.control()) {
            System.setProperty(ControlChannel.PROPERTY, ControlChannel.OPENING);
        }
        System.setProperty("livepatch4j.agent.version", version());
        System.setProperty("livepatch4j.agent.mode", mode);
        StartInBackground.run(inst, options, steps, "attach".equals(mode), patcher, () -> openControl(options));
        started = true;
        AgentLog.debug("livepatch4j {0} agent loaded ({1} mode{2}{3}); {4}", version(), mode,
            options.packages().isEmpty() ? "" : ", packages " + options.packages(),
            trusted.isEmpty() ? "" : ", " + trusted.size() + " trusted key(s)", steps);
    }

    /**
     * Opens the control socket; until it is open, {@code livepatch4j.agent.control} says
     * {@link ControlChannel#OPENING}, and lp4j waits for the socket (in prepared mode the agent's
     * thread opens it, moments after the agent started).
     */
    private static void openControl(AgentOptions options) {
        if (!options.control()) {
            return;
        }
        try {
            ControlChannel.open();
            Checkpoints.opened();
        } catch (java.io.IOException | RuntimeException e) {
            System.clearProperty(ControlChannel.PROPERTY);
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: lp4j cannot reach this JVM: " + e.getMessage());
        }
    }

    /**
     * A second load (jcmd JVMTI.agent_load, another tool) changes nothing: the running agent keeps its
     * options. Options given to it are not dropped in silence, and a typo in them is not taken for a
     * failed start ({@code livepatch4j.agent.error} stays as it is: the agent runs).
     */
    private static void ignoredLoad(String args) {
        if (args == null || args.isBlank()) {
            return;
        }
        String invalid = "";
        try {
            AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            invalid = "; they are not valid either: " + e.getMessage();
        }
        System.err.println("livepatch4j: the agent is already running with the options it started with; the options"
            + " of this second load (" + args + ") were ignored" + invalid);
    }

    static String version() {
        String v = Agent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
