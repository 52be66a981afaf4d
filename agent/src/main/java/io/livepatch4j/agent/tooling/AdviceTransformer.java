package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.agent.tooling.integrations.AdvisedIntegration;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.Nexus;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * Byte Buddy's transformer for the advised integrations (the Servlet API's), built when the gate
 * first admits a class for it, not at the agent's start: its set-up (about a thousand classes loaded,
 * most of what the agent used to cost a server's start) is paid only by a JVM that has the API.
 *
 * <p>Concurrency: the first thread that asks builds it (the build runs no code of the application and
 * loads nothing through the application's loaders); other threads that load an admitted class
 * meanwhile wait for it, at most {@link #WAIT_SECONDS}, so that a build that cannot finish never
 * hangs a class load: past that, the class is loaded without advice and said so. The building thread
 * itself, should it reach a class the gate admits, gets no transformer (it would wait for itself).
 */
final class AdviceTransformer {

    static final long WAIT_SECONDS = 30;

    private final FutureTask<ClassFileTransformer> build;
    private final AtomicReference<Thread> builder = new AtomicReference<>();

    AdviceTransformer(Instrumentation inst, List<AdvisedIntegration> advised) {
        this.build = new FutureTask<>(() -> build(inst, advised));
    }

    /**
     * The transformer, built on the first call; null when there is nothing to advise.
     *
     * @throws IllegalStateException when it could not be built, or not in time, or is being built by this thread
     */
    ClassFileTransformer get() {
        Thread me = Thread.currentThread();
        if (builder.compareAndSet(null, me)) {
            build.run();
        } else if (builder.get() == me && !build.isDone()) {
            throw new IllegalStateException("Byte Buddy's transformer is being built by this thread");
        }
        try {
            return build.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Byte Buddy's transformer could not be built: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Byte Buddy's transformer was not built within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Byte Buddy's transformer was built");
        }
    }

    private static ClassFileTransformer build(Instrumentation inst, List<AdvisedIntegration> advised) {
        if (advised.isEmpty()) {
            return null;
        }
        long began = System.nanoTime();
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
            .with(new AgentBuilder.Listener.Adapter() {
                @Override
                public void onError(String typeName, ClassLoader loader, net.bytebuddy.utility.JavaModule module,
                                    boolean loaded, Throwable throwable) {
                    UnitsOfWork.notInstrumented(typeName, throwable);
                }
            })
            .ignore(nameStartsWith("io.livepatch4j.agent.").or(nameStartsWith("io.livepatch4j.shaded.")))
            .assureReadEdgeTo(inst, Units.class);
        for (AdvisedIntegration integration : advised) {
            builder = integration.advise(builder);
        }
        ClassFileTransformer transformer = builder.makeRaw();
        AgentLog.debug("livepatch4j: Byte Buddy set up for the Servlet API in {0} ms", (System.nanoTime() - began) / 1_000_000);
        return transformer;
    }
}
