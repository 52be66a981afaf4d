package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ServerHooks;
import io.livepatch4j.agent.tooling.events.PatchEvents;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What the agent sets up off the application's start path in prepared mode, on one daemon thread,
 * so that a server starts about as fast with the agent as without it (docs/results/startup.md).
 * Work on another thread is not free on a small machine: it takes the CPU the application's start
 * needs. So the daemon waits {@link #SETTLE_MILLIS} first (the agent cannot see when the application
 * has started), and whatever is needed sooner is built by whoever needs it:
 * <ul>
 * <li>the patcher and the JFR event classes (JFR sets an event class up on its first use, which
 * must not be on an application thread passing a quiescence point in the first transition): the
 * first control request or MXBean call builds them (LivePatch.patcher);</li>
 * <li>the MXBean: registered when the platform MBean server is first handed out
 * (ManagementFactory.getPlatformMBeanServer, woven: the application's own JMX code, jconsole's or
 * JMC's local attach, which starts the JVM's management agent), or by the daemon;</li>
 * <li>the compiler directive that keeps the agent's tooling off C2 ({@link ToolingJit}), with the
 * MXBean: it goes through the platform MBean server;</li>
 * <li>the removal of the folders that JVMs killed with kill -9 left in /tmp (listing /tmp can be slow);</li>
 * <li>at once, not after the wait: the control socket (Agent.openControl), which lp4j waits for;</li>
 * <li>only with {@code backgroundStart=on} (off by default: work begun before the install is
 * checked per call stack only, see docs/agent.md), the integrations that find units of work
 * (UnitsOfWork), at once, not after the wait; patches wait for them.</li>
 * </ul>
 * In attach mode the application is running already and the attaching tool expects the agent whole
 * when the load returns: everything is done before it does.
 */
final class StartInBackground {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");

    /** How long the daemon leaves the CPU to the application's start before its own work. */
    static final long SETTLE_MILLIS = 2_000;

    private StartInBackground() {}

    /** The patcher, with the JFR event classes it reports through set up first. */
    static Patcher withEvents(java.util.concurrent.Callable<Patcher> patcher) throws Exception {
        new PatchEvents.Apply();
        new PatchEvents.PatchRefused();
        new PatchEvents.Transition();
        new PatchEvents.ThreadMoved();
        new PatchEvents.Straggler();
        new PatchEvents.GenerationRetired();
        return patcher.call();
    }

    /**
     * Builds the patcher (the first control request or MXBean call would otherwise). A failure leaves
     * the JVM running unpatchable, said as a failed start is: one line, and livepatch4j.agent.error,
     * which lp4j status reads.
     */
    private static void buildPatcher(FutureTask<Patcher> patcher) {
        patcher.run();
        try {
            patcher.get();
        } catch (ExecutionException e) {
            String reason = "the agent could not set up its patcher: " + e.getCause();
            LOG.log(System.Logger.Level.ERROR, "livepatch4j: " + reason + "; this JVM runs without live patching");
            System.setProperty("livepatch4j.agent.error", reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code openControl}: opens the control socket; in prepared mode the first thing the agent's
     * thread does (the JDK's Unix-domain sockets create a SecureRandom as they initialize, tens of
     * milliseconds of the application's start otherwise).
     */
    static void run(Instrumentation inst, AgentOptions options, StartSteps steps, boolean attach,
                    FutureTask<Patcher> patcher, Runnable openControl) {
        // Once the platform MBean server exists: the MXBean, and the compiler directive, which goes
        // through the server's DiagnosticCommand MBean (ToolingJit). With jmx=off the agent never
        // creates the server (an application may install its own builder later, as WildFly does): the
        // directive then waits for the application to create it, if it ever does.
        boolean jit = !options.toolingC2();
        if (options.jmx() || jit) {
            ServerHooks.whenMBeanServerReady(() -> {
                if (options.jmx()) {
                    registerMBean();
                }
                if (jit) {
                    ToolingJit.keepOffC2();
                }
            });
        }
        UnitsOfWork.installing();
        boolean background = options.backgroundStart() && !attach;
        if (!background) {
            UnitsOfWork.install(inst, options.unitsOfWork());
            steps.done("units of work");
        }
        if (attach) {
            openControl.run();
            steps.done("control channel");
            rest(patcher, options);
            steps.done("patcher, MXBean, JIT directive, sweep");
            return;
        }
        Thread t = new Thread(() -> {
            long opening = System.nanoTime();
            openControl.run();
            AgentLog.debug("livepatch4j: control channel opened in {0} ms", (System.nanoTime() - opening) / 1_000_000);
            if (background) {
                long began = System.nanoTime();
                UnitsOfWork.install(inst, options.unitsOfWork());
                AgentLog.debug("livepatch4j: units of work installed in the background in {0} ms",
                    (System.nanoTime() - began) / 1_000_000);
            }
            try {
                Thread.sleep(SETTLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            rest(patcher, options);
        }, "livepatch4j-start");
        t.setDaemon(true);
        t.start();
    }

    private static void rest(FutureTask<Patcher> patcher, AgentOptions options) {
        long began = System.nanoTime();
        buildPatcher(patcher);
        if (options.jmx()) {
            mbeanServerReady();
        }
        AgentDirectory.sweepStale();
        AgentLog.debug("livepatch4j: patcher, JFR events, MXBean, JIT directive and sweep took {0} ms",
            (System.nanoTime() - began) / 1_000_000);
    }

    /**
     * Registers the MXBean unless the platform MBean server's first use did. Under ManagementFactory's
     * lock, as the woven getPlatformMBeanServer runs it: a caller of that method then waits until the
     * MXBean is there, whichever thread registers it, and the lock order is the same on both paths
     * (ManagementFactory's, then whatever the registration takes).
     */
    static void mbeanServerReady() {
        synchronized (java.lang.management.ManagementFactory.class) {
            ServerHooks.mbeanServerReady();
        }
    }

    private static void registerMBean() {
        try {
            LivePatchMBean.register();
        } catch (javax.management.JMException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: the LivePatch MXBean is not registered: " + e);
        }
    }
}
