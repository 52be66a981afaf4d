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
 * With {@code backgroundStart=off} the integrations install before the agent's start returns
 * (every unit of work from the first one on), and the rest still in the background.
 */
final class StartInBackground {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");

    private StartInBackground() {}

    static void run(Instrumentation inst, AgentOptions options, StartSteps steps) {
        UnitsOfWork.installing();
        if (!options.backgroundStart()) {
            UnitsOfWork.install(inst, options.unitsOfWork());
            steps.done("units of work");
        }
        Thread t = new Thread(() -> {
            long began = System.nanoTime();
            if (options.backgroundStart()) {
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
            AgentLog.debug("livepatch4j: background start took {0} ms{1}", (System.nanoTime() - began) / 1_000_000,
                options.backgroundStart() ? " (units of work, JFR events, MXBean, sweep)" : " (JFR events, MXBean, sweep)");
        }, "livepatch4j-start");
        t.setDaemon(true);
        t.start();
    }
}
