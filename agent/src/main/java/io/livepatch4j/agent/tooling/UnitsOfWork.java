package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ExecutorHooks;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.agent.tooling.advice.UnitAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.dynamic.Nexus;

import java.lang.instrument.Instrumentation;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Declares where units of work begin and end, with no change to application code: executor and
 * fork/join tasks, CompletableFuture's async stages, virtual threads, com.sun.net.httpserver exchanges, Jetty 12 requests, the
 * methods named by the unitOfWork option, and the Quiescence API. Installed once when the agent
 * loads; classes already loaded are retransformed (attach mode: one safepoint at agent load).
 */
final class UnitsOfWork {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");

    private UnitsOfWork() {}

    static void install(Instrumentation inst, List<String> configuredUnits) {
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
            .assureReadEdgeTo(inst, Units.class)

            .type(named("java.util.concurrent.ThreadPoolExecutor"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.Capture.class).on(named("execute").and(takesArguments(Runnable.class))))
                .visit(Advice.to(UnitAdvice.Rejected.class).on(named("reject").and(takesArguments(Runnable.class)))))
            .transform((b, type, loader, module, pd) -> b.visit(MemberSubstitution.relaxed()
                .method(named("run").and(isDeclaredBy(Runnable.class)).and(takesArguments(0)))
                .replaceWith(runTask())
                .on(named("runWorker"))))
            // Workers that already run when the agent attaches stay in the old runWorker frame; the
            // beforeExecute/afterExecute it calls for each task resolve to the new code. (Nested in
            // the unit above for workers started later, which is harmless.) A subclass may override
            // afterExecute without calling super, so getTask, which every worker calls between
            // tasks, ends that unit too.
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.BeforeExecute.class).on(named("beforeExecute").and(takesArguments(2))))
                .visit(Advice.to(UnitAdvice.AfterExecute.class).on(named("afterExecute").and(takesArguments(2))))
                .visit(Advice.to(UnitAdvice.AfterExecute.class).on(named("getTask").and(takesArguments(0)))))

            .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Scheduled.class)
                .on(named("delayedExecute").and(takesArguments(1)))))

            // Tasks carry the unit they are submitted from (not the one they were built in: a task
            // built and kept, or never started, must not hold a unit open).
            .type(named("java.util.concurrent.ForkJoinTask"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.ForkJoin.class).on(named("doExec")))
                .visit(Advice.to(UnitAdvice.CaptureThis.class).on(named("fork").and(takesArguments(0)))))
            .type(named("java.util.concurrent.ForkJoinPool"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.Capture.class).on(named("externalPush").or(named("externalSubmit"))
                    .and(takesArguments(1))))
                .visit(Advice.to(UnitAdvice.CaptureSecond.class).on(named("poolSubmit").and(takesArguments(2)))))
            // With a common pool of parallelism 1 (2 CPUs) JDK 17's CompletableFuture runs async
            // stages on a new thread each, through this executor.
            .type(named("java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Capture.class)
                .on(named("execute").and(takesArguments(Runnable.class)))))
            .type(named("java.util.concurrent.FutureTask"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Cancelled.class)
                .on(named("cancel").and(takesArguments(boolean.class)))))

            // With a common pool of parallelism 1 (2 CPUs) CompletableFuture runs async stages on a
            // new thread each, calling run() directly instead of ForkJoinTask.doExec.
            .type(named("java.util.concurrent.CompletableFuture$AsyncSupply")
                .or(named("java.util.concurrent.CompletableFuture$AsyncRun"))
                .or(named("java.util.concurrent.CompletableFuture$Completion")))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.ForkJoin.class)
                .on(named("run").and(takesArguments(0)))))

            .type(named("java.lang.VirtualThread"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.VirtualThread.class).on(named("run").and(takesArguments(Runnable.class))))
                .visit(Advice.to(UnitAdvice.CaptureThis.class).on(named("start"))))

            .type(named("sun.net.httpserver.ServerImpl$Exchange"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.HttpExchange.class)
                .on(named("run").and(takesArguments(0)))))
            .type(named("sun.net.httpserver.ExchangeImpl"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.ExchangeOpened.class).on(isConstructor()))
                .visit(Advice.to(UnitAdvice.ExchangeClosed.class).on(named("close").and(takesArguments(0)))))
            .type(named("sun.net.httpserver.WriteFinishedEvent"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.ExchangeWritten.class)
                .on(isConstructor().and(takesArguments(1)))))

            .type(named("org.eclipse.jetty.server.Server"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Jetty.class)
                .on(named("handle").and(takesArguments(3)))))
            .type(named("org.eclipse.jetty.server.internal.HttpChannelState$ChannelCallback"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.JettyCallbackDone.class)
                .on(named("succeeded").or(named("failed")))))

            .type(named("io.livepatch4j.quiescence.Quiescence"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.QuiescenceUnit.class).on(named("run").or(named("call"))))
                .visit(Advice.to(UnitAdvice.QuiescencePoint.class).on(named("point")))
                .visit(Advice.to(UnitAdvice.QuiescenceGeneration.class).on(named("generation")))
                .visit(Advice.to(UnitAdvice.QuiescenceAgentLoaded.class).on(named("agentLoaded"))));

        for (String unit : configuredUnits) {
            int hash = unit.indexOf('#');
            String className = unit.substring(0, hash);
            String method = unit.substring(hash + 1);
            builder = builder.type(named(className))
                .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Configured.class).on(named(method))));
        }
        builder.installOn(inst);
    }

    private static java.lang.reflect.Method runTask() {
        try {
            return ExecutorHooks.class.getMethod("runTask", Runnable.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reports instrumentation failures: a unit kind that cannot be recognized must not pass silently. */
    private static final class Problems extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, net.bytebuddy.utility.JavaModule module,
                            boolean loaded, Throwable throwable) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: could not instrument " + typeName
                + " to find units of work there; its threads fall back to per-call-stack consistency", throwable);
        }
    }
}
