package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.agent.tooling.advice.UnitAdvice;
import io.livepatch4j.agent.tooling.integrations.Integration;
import io.livepatch4j.agent.tooling.integrations.Integrations;
import io.livepatch4j.agent.tooling.integrations.TypeGate;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.Nexus;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * Declares where units of work begin and end, with no change to application code: the integrations
 * (one file each in {@code integrations/}) and the methods named by the unitOfWork option. Installed
 * once when the agent loads, by default on a thread of its own while the application starts
 * (StartInBackground); classes already loaded are retransformed (one safepoint), those loaded while it
 * installs too. Work begun before the install completes is not a unit of work: its threads are
 * checked per call stack, as in attach mode. Patches wait for the install ({@link #awaitInstalled}).
 */
final class UnitsOfWork {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");
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
        // AgentBuilder.Default's constructor builds a self-injecting initialization strategy (replaced
        // below by NoOp) whose Nexus accessor reaches for sun.misc.Unsafe, and JDK 24+ then prints a
        // deprecation warning into the application's output. We never use the Nexus. The property
        // is relocated with Byte Buddy, so it switches off our shaded copy only, not an application's.
        if (System.getProperty(Nexus.PROPERTY) == null) {
            System.setProperty(Nexus.PROPERTY, "true");
        }
        AgentBuilder builder = new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
            .with(new Problems())
            .ignore(nameStartsWith("io.livepatch4j.agent.").or(nameStartsWith("io.livepatch4j.shaded.")))
            .assureReadEdgeTo(inst, Units.class);
        TypeGate types = new TypeGate();
        for (Integration integration : Integrations.all()) {
            builder = integration.install(builder, types);
        }
        for (String unit : configuredUnits) {
            int hash = unit.indexOf('#');
            String className = unit.substring(0, hash);
            String method = unit.substring(hash + 1);
            builder = builder.type(types.named(className))
                .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Configured.class).on(named(method))));
        }
        types.seal();
        // Byte Buddy's transformer is not given to the JVM: the gate in front of it is, and the gate
        // retransforms the classes loaded before it.
        GatedTransformer transformer = new GatedTransformer(inst, types, builder.makeRaw());
        inst.addTransformer(transformer, true);
        transformer.retransformLoaded();
    }

    /** Reports instrumentation failures: a unit kind that cannot be recognized must not pass silently. */
    private static final class Problems extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, net.bytebuddy.utility.JavaModule module,
                            boolean loaded, Throwable throwable) {
            notInstrumented(typeName, throwable);
        }
    }

    /** The one report of a class that could not be given its hooks, by Byte Buddy or by Hooks. */
    static void notInstrumented(String className, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "livepatch4j: could not instrument " + className
            + " to find units of work there; its threads fall back to per-call-stack consistency", e);
    }
}
