package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.ExecutorHooks;
import io.livepatch4j.agent.tooling.advice.UnitAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.MemberSubstitution;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * java.util.concurrent and virtual threads: each executor task, fork/join task and virtual thread is
 * a unit of work, and a task submitted from inside a unit carries it (see docs/agent.md, "Work that
 * carries a unit").
 */
final class JdkExecutors implements Integration {

    @Override
    public String name() {
        return "java.util.concurrent executors, CompletableFuture and virtual threads";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("java.util.concurrent.ThreadPoolExecutor"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.Capture.class).on(named("execute").and(takesArguments(Runnable.class))))
                .visit(Advice.to(UnitAdvice.Rejected.class).on(named("reject").and(takesArguments(Runnable.class))))
                .visit(Advice.to(UnitAdvice.Drained.class).on(named("shutdownNow").and(takesArguments(0)))))
            .transform((b, type, loader, module, pd) -> b.visit(MemberSubstitution.relaxed()
                .method(named("run").and(isDeclaredBy(Runnable.class)).and(takesArguments(0)))
                .replaceWith(hook("runTask", Runnable.class))
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

            .type(types.named("java.util.concurrent.ScheduledThreadPoolExecutor"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Scheduled.class)
                .on(named("delayedExecute").and(takesArguments(1)))))

            // Tasks carry the unit they are submitted from (not the one they were built in: a task
            // built and kept, or never started, must not hold a unit open).
            .type(types.named("java.util.concurrent.ForkJoinTask"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.ForkJoin.class).on(named("doExec")))
                .visit(Advice.to(UnitAdvice.CaptureThis.class).on(named("fork").and(takesArguments(0)))))
            .type(types.named("java.util.concurrent.ForkJoinPool"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.Capture.class).on(named("externalPush").or(named("externalSubmit"))
                    .and(takesArguments(1))))
                .visit(Advice.to(UnitAdvice.CaptureSecond.class).on(named("poolSubmit").and(takesArguments(2)))))
            // With a common pool of parallelism 1 (2 CPUs) JDK 17's CompletableFuture runs async
            // stages on a new thread each, through this executor.
            .type(types.named("java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Capture.class)
                .on(named("execute").and(takesArguments(Runnable.class)))))
            .type(types.named("java.util.concurrent.FutureTask"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Cancelled.class)
                .on(named("cancel").and(takesArguments(boolean.class)))))

            // With a common pool of parallelism 1 (2 CPUs) CompletableFuture runs async stages on a
            // new thread each, calling run() directly instead of ForkJoinTask.doExec.
            .type(types.named("java.util.concurrent.CompletableFuture$AsyncSupply",
                "java.util.concurrent.CompletableFuture$AsyncRun", "java.util.concurrent.CompletableFuture$Completion"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.ForkJoin.class)
                .on(named("run").and(takesArguments(0)))))

            // Dependent stages: registered (pushed onto the stage they wait for) inside a unit, they
            // run in it while it is open, also when the thread completing that stage fires them inline.
            .type(types.named("java.util.concurrent.CompletableFuture"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.Register.class).on(named("unipush").and(takesArguments(1))))
                .visit(Advice.to(UnitAdvice.RegisterSecond.class).on(named("bipush").or(named("orpush"))
                    .and(takesArguments(2)))))
            .type(types.nameStartsWith("java.util.concurrent.CompletableFuture$")
                .and(not(named("java.util.concurrent.CompletableFuture$Signaller"))))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.StageFired.class)
                .on(named("tryFire").and(takesArguments(int.class)).and(not(isAbstract())))))

            // java.util.Timer: a task joins the unit that scheduled it while that is open; each run is a unit.
            .type(types.named("java.util.Timer"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Register.class)
                .on(named("sched").and(takesArguments(3)))))
            .type(types.named("java.util.TimerThread"))
            .transform((b, type, loader, module, pd) -> b.visit(MemberSubstitution.relaxed()
                .method(named("run").and(isDeclaredBy(named("java.util.TimerTask"))).and(takesArguments(0)))
                .replaceWith(hook("runTimerTask", java.util.TimerTask.class))
                .on(named("mainLoop"))))

            .type(types.named("java.lang.VirtualThread"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.VirtualThread.class).on(named("run").and(takesArguments(Runnable.class))))
                .visit(Advice.to(UnitAdvice.CaptureThis.class).on(named("start"))));
    }

    /** The ExecutorHooks method {@code name(parameter)}, for a MemberSubstitution (every integration that replaces a task.run()). */
    static java.lang.reflect.Method hook(String name, Class<?> parameter) {
        try {
            return ExecutorHooks.class.getMethod(name, parameter);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
