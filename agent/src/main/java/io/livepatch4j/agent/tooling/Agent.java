package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.sign.PatchSigning;

import java.lang.instrument.Instrumentation;
import java.security.PublicKey;
import java.util.List;

/**
 * The agent's entry points. {@code premain}: the JVM started with -javaagent; the classes in
 * {@code packages} get their prologue as they load (prepared mode). {@code agentmain}: loaded into a
 * running JVM; the classes a patch touches are prepared when it is applied (attach mode). Loading
 * twice is harmless: the second load does nothing.
 */
public final class Agent {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");
    private static volatile boolean started;

    private Agent() {}

    public static void premain(String args, Instrumentation inst) {
        try {
            start(args, inst, "prepared");
        } catch (Exception | LinkageError e) {
            // A patch tool must not keep a server from starting: say so loudly and run unpatched.
            System.err.println("livepatch4j: the agent did not start, this JVM runs without live patching: "
                + e.getMessage());
            LOG.log(System.Logger.Level.ERROR, "livepatch4j agent did not start", e);
        }
    }

    public static void agentmain(String args, Instrumentation inst) throws Exception {
        start(args, inst, "attach");
    }

    private static synchronized void start(String args, Instrumentation inst, String mode) throws Exception {
        if (started) {
            return;
        }
        AgentOptions options = AgentOptions.parse(args);
        if (!inst.isRetransformClassesSupported() || !inst.isRedefineClassesSupported()) {
            throw new IllegalStateException("this JVM does not support class retransformation");
        }
        List<PublicKey> trusted = options.trustedKeys() == null ? List.of()
            : PatchSigning.readTrustedKeys(options.trustedKeys());
        BootstrapJar.append(inst);
        Threads.init(inst);
        PreparedClasses prepared = new PreparedClasses(options.packagePrefixes());
        io.livepatch4j.agent.bootstrap.AppCalls.configure(options.packagePrefixes());
        inst.addTransformer(prepared, true);
        UnitsOfWork.install(inst, options.unitsOfWork());
        // JFR sets an event class up on its first use; do it now, not on an application thread
        // that passes a quiescence point during the first transition.
        new io.livepatch4j.agent.tooling.events.PatchEvents.ThreadMoved();
        new io.livepatch4j.agent.tooling.events.PatchEvents.GenerationRetired();
        Patcher patcher = new Patcher(inst, prepared, options, trusted, mode);
        LivePatch.install(patcher);
        if (options.jmx()) {
            LivePatchMBean.register();
        }
        if (options.control()) {
            try {
                ControlChannel.open();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "livepatch4j: lp4j cannot reach this JVM: " + e.getMessage());
            }
        }
        System.setProperty("livepatch4j.agent.version", version());
        System.setProperty("livepatch4j.agent.mode", mode);
        started = true;
        LOG.log(System.Logger.Level.INFO, "livepatch4j {0} agent loaded ({1} mode{2}{3})", version(), mode,
            options.packages().isEmpty() ? "" : ", packages " + options.packages(),
            trusted.isEmpty() ? "" : ", " + trusted.size() + " trusted key(s)");
    }

    static String version() {
        String v = Agent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
