package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.tooling.events.PatchEvents;

import java.lang.instrument.Instrumentation;

/**
 * What the agent sets up off the application's start path, on one daemon thread, so that a server
 * starts about as fast with the agent as without it (docs/results/startup.md):
 * <ul>
 * <li>the integrations that find units of work (UnitsOfWork: Byte Buddy's first use costs most of a
 * second); patches wait for them, and work begun before they are in place is checked per call
 * stack, as in attach mode;</li>
 * <li>the JFR event classes (JFR sets an event class up on its first use, which must not be on an
 * application thread passing a quiescence point in the first transition);</li>
 * <li>the MXBean (the platform MBean server costs about 100 ms to create);</li>
 * <li>removing the folders that JVMs killed with kill -9 left in /tmp (listing /tmp can be slow).</li>
 * </ul>
 * Only in prepared mode, and only with {@code backgroundStart=on} (off by default: work begun before
 * the install is checked per call stack only, see docs/agent.md). In attach mode the
 * application is running already and the attaching tool expects the agent whole when the load
 * returns: everything is done before it does.
 */
final class StartInBackground {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");

    private StartInBackground() {}

    static void run(Instrumentation inst, AgentOptions options, StartSteps steps, boolean attach) {
        UnitsOfWork.installing();
        boolean background = options.backgroundStart() && !attach;
        if (!background) {
            UnitsOfWork.install(inst, options.unitsOfWork());
            steps.done("units of work");
        }
        Runnable rest = () -> {
            long began = System.nanoTime();
            if (background) {
                UnitsOfWork.install(inst, options.unitsOfWork());
            }
            new PatchEvents.Apply();
            new PatchEvents.PatchRefused();
            new PatchEvents.Transition();
            new PatchEvents.ThreadMoved();
            new PatchEvents.Straggler();
            new PatchEvents.GenerationRetired();
            if (options.jmx()) {
                try {
                    LivePatchMBean.register();
                } catch (javax.management.JMException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "livepatch4j: the LivePatch MXBean is not registered: " + e);
                }
            }
            AgentDirectory.sweepStale();
            AgentLog.debug("livepatch4j: {0} took {1} ms", background ? "background start (units of work, JFR events, "
                + "MXBean, sweep)" : "JFR events, MXBean and sweep", (System.nanoTime() - began) / 1_000_000);
        };
        if (attach) {
            rest.run();
            steps.done("JFR events, MXBean, sweep");
            return;
        }
        Thread t = new Thread(rest, "livepatch4j-start");
        t.setDaemon(true);
        t.start();
    }
}
