package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.tooling.integrations.Integration;
import io.livepatch4j.agent.tooling.integrations.Integrations;
import io.livepatch4j.agent.tooling.integrations.TypeGate;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Declares where units of work begin and end, with no change to application code: the integrations
 * (one file each in {@code integrations/}) and the methods named by the unitOfWork option. Installed
 * once when the agent loads, by default on a thread of its own while the application starts
 * (StartInBackground); classes already loaded are retransformed (one safepoint), those loaded while it
 * installs too. Work begun before the install completes is not a unit of work: its threads are
 * checked per call stack, as in attach mode. Patches wait for the install ({@link #awaitInstalled}).
 */
final class UnitsOfWork {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");
    /** Counted down when the install has ended, well or not; null until an install begins. */
    private static volatile CountDownLatch installing;

    private UnitsOfWork() {}

    /** Marks the install as begun; called on the agent's start path, before the install runs anywhere. */
    static void installing() {
        installing = new CountDownLatch(1);
    }

    /**
     * Blocks until the install that began has ended (returns at once if none began: tests that drive a
     * Patcher without the agent). A patch applied before would find no thread in a unit of work.
     */
    static void awaitInstalled() {
        CountDownLatch latch = installing;
        if (latch == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void install(Instrumentation inst, List<String> configuredUnits) {
        try {
            doInstall(inst, configuredUnits);
        } finally {
            CountDownLatch latch = installing;
            if (latch != null) {
                latch.countDown();
            }
        }
    }

    private static void doInstall(Instrumentation inst, List<String> configuredUnits) {
        TypeGate types = new TypeGate();
        for (Integration integration : Integrations.all()) {
            integration.declare(types);
        }
        for (String unit : configuredUnits) {
            int hash = unit.indexOf('#');
            types.weaveAsked(Integrations.configured(unit.substring(0, hash).replace('.', '/'), unit.substring(hash + 1)));
        }
        types.seal();
        GatedTransformer transformer = new GatedTransformer(inst, types);
        inst.addTransformer(transformer, true);
        transformer.retransformLoaded();
    }

    /** The one report of a class that could not be given its hooks, by Byte Buddy or by Hooks. */
    static void notInstrumented(String className, Throwable e) {
        String line = "livepatch4j: could not instrument " + className + " to find units of work there (" + e
            + "); its threads fall back to per-call-stack consistency";
        if (AgentLog.debugging()) {
            LOG.log(System.Logger.Level.WARNING, line, e);
        } else {
            LOG.log(System.Logger.Level.WARNING, line);
        }
    }

    /** The one report of a unitOfWork option that names a method its class has no code for. */
    static void notAUnit(String className, List<String> methods) {
        for (String m : methods) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: unitOfWork=" + className + "#" + m + " names no method with code"
                + " in " + className + " (absent, abstract or native): no unit of work begins there; name the method of the"
                + " class that implements it");
        }
    }
}
