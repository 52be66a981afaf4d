package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

/**
 * java.util.concurrent and virtual threads: each executor task, fork/join task and virtual thread is
 * a unit of work, and a task submitted from inside a unit carries it (see docs/agent.md, "Work that
 * carries a unit"). Every JVM loads these classes, so their hooks are woven with plain ASM (Hooks):
 * static calls into the bootstrap runtime's TaskHooks, without Byte Buddy.
 */
final class JdkExecutors implements Integration {

    private static final java.util.function.Predicate<String> RUNNABLE = Hooks.parameters("(Ljava/lang/Runnable;)");

    static final Hooks.Call SUBMITTING_ARG0 = new Hooks.Call(ServerCalls.TASKS, "submitting", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0);
    private static final Hooks.Call SUBMITTING_ARG1 = new Hooks.Call(ServerCalls.TASKS, "submitting", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG1);
    /** A submission to a ThreadPoolExecutor ({@code this}), whose runs take the holds of submissions to it. */
    private static final Hooks.Call SUBMITTING_TO_THIS = new Hooks.Call(ServerCalls.TASKS, "submittingTo",
        "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0, Hooks.Source.THIS);
    private static final Hooks.Call SUBMITTING_THIS = new Hooks.Call(ServerCalls.TASKS, "submitting", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS);
    static final Hooks.Call SUBMITTED = new Hooks.Call(ServerCalls.TASKS, "submitted", "(Ljava/lang/Object;Ljava/lang/Throwable;)V",
        Hooks.Source.ENTER, Hooks.Source.THROWN);
    /** The end of a submission to an executor whose RejectedExecutionException means the task was not taken. */
    static final Hooks.Call SUBMITTED_OR_REFUSED = new Hooks.Call(ServerCalls.TASKS, "submittedOrRefused",
        "(Ljava/lang/Object;Ljava/lang/Throwable;Ljava/lang/Object;)V", Hooks.Source.ENTER, Hooks.Source.THROWN, Hooks.Source.THIS);
    private static final Hooks.Call FORK_JOIN = new Hooks.Call(ServerCalls.TASKS, "forkJoinTask", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS);
    private static final Hooks.Call CONTINUATION_SCHEDULING = new Hooks.Call(ServerCalls.TASKS, "continuationScheduling",
        "()Ljava/lang/Object;");
    static final Hooks.Call EXIT_TASK = new Hooks.Call(ServerCalls.TASKS, "exitTask", "(Ljava/lang/Object;)V", Hooks.Source.ENTER);
    private static final Hooks.Call REGISTER_ARG1 = new Hooks.Call(ServerCalls.TASKS, "register", "(Ljava/lang/Object;)V", Hooks.Source.ARG1);
    private static final Hooks.Call AFTER_EXECUTE = new Hooks.Call(ServerCalls.TASKS, "afterExecute", "()V");

    @Override
    public String name() {
        return "java.util.concurrent executors, CompletableFuture and virtual threads";
    }

    @Override
    public void declare(TypeGate types) {
        threadPool("java/util/concurrent/ThreadPoolExecutor", RUNNABLE,
            List.of("AbortPolicy", "CallerRunsPolicy", "DiscardPolicy", "DiscardOldestPolicy")).forEach(types::weave);
        types.weave(hooks("java/util/concurrent/ScheduledThreadPoolExecutor",
            List.of(new Hooks.MethodHook("delayedExecute", Hooks.arguments(1),
                new Hooks.Call(ServerCalls.TASKS, "scheduled", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0), SUBMITTED, true)),
            List.of()));
        // Tasks carry the unit they are submitted from (not the one they were built in: a task built
        // and kept, or never started, must not hold a unit open).
        types.weave(hooks("java/util/concurrent/ForkJoinTask",
            List.of(new Hooks.MethodHook("doExec", Hooks.any(), FORK_JOIN, EXIT_TASK, true),
                captures("fork", Hooks.arguments(0), SUBMITTING_THIS), cancelled()), List.of()));
        types.weave(hooks("java/util/concurrent/ForkJoinPool",
            List.of(refusable("externalPush", Hooks.arguments(1), SUBMITTING_ARG0),
                refusable("externalSubmit", Hooks.arguments(1), SUBMITTING_ARG0),
                refusable("poolSubmit", Hooks.arguments(2), SUBMITTING_ARG1),
                // JDK 25: a ForkJoinPool is a ScheduledExecutorService; its delay scheduler's thread
                // pushes a task when it is due, outside every unit.
                new Hooks.MethodHook("scheduleDelayedTask", Hooks.arguments(1),
                    new Hooks.Call(ServerCalls.TASKS, "scheduledOnPool", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0), SUBMITTED, true)),
            List.of()));
        // With a common pool of parallelism 1 (2 CPUs) JDK 17's CompletableFuture runs async stages,
        // and the tasks of its delayedExecutor, on a new thread each, through this executor, calling
        // run() directly (ExecutorHooks.threadPerTask).
        types.weave(hooks("java/util/concurrent/CompletableFuture$ThreadPerTaskExecutor",
            List.of(new Hooks.MethodHook("execute", RUNNABLE, new Hooks.Call(ServerCalls.EXECUTOR, "threadPerTask",
                "(Ljava/lang/Runnable;)Ljava/lang/Runnable;", Hooks.Source.ARG0).into(Hooks.Source.ARG0), null, false)), List.of()));
        for (String task : List.of("AsyncSupply", "AsyncRun", "Completion")) {
            types.weave(hooks("java/util/concurrent/CompletableFuture$" + task,
                List.of(new Hooks.MethodHook("run", Hooks.arguments(0), FORK_JOIN, EXIT_TASK, true)), List.of()));
        }
        types.weave(hooks("java/util/concurrent/FutureTask", List.of(cancelled()), List.of()));
        // Dependent stages: registered (pushed onto the stage they wait for) inside a unit, they run
        // in it while it is open, also when the thread completing that stage fires them inline.
        types.weave(hooks("java/util/concurrent/CompletableFuture",
            List.of(new Hooks.MethodHook("unipush", Hooks.arguments(1), ServerCalls.REGISTER_ARG0, null, false),
                new Hooks.MethodHook("bipush", Hooks.arguments(2), REGISTER_ARG1, null, false),
                new Hooks.MethodHook("orpush", Hooks.arguments(2), REGISTER_ARG1, null, false)), List.of()));
        types.weave(new Hooks.ClassHooks("java/util/concurrent/CompletableFuture$", true,
            List.of("java/util/concurrent/CompletableFuture$Signaller"),
            List.of(new Hooks.MethodHook("tryFire", Hooks.parameters("(I)"), new Hooks.Call(ServerCalls.TASKS, "stageFired", "(Ljava/lang/Object;)Ljava/lang/Object;",
                Hooks.Source.THIS), EXIT_TASK, true)), List.of()));
        // java.util.Timer: a task joins the unit that scheduled it while that is open; each run is a unit.
        types.weave(hooks("java/util/Timer",
            List.of(new Hooks.MethodHook("sched", Hooks.arguments(3), ServerCalls.REGISTER_ARG0, null, false)), List.of()));
        types.weave(hooks("java/util/TimerThread", List.of(),
            List.of(new Hooks.CallSwap("mainLoop", "java/util/TimerTask", "run", "()V",
                new Hooks.Call(ServerCalls.EXECUTOR, "runTimerTask", "(Ljava/util/TimerTask;)V")))));
        // A virtual thread's run is a unit (TaskHooks.virtualThread); its continuation, which it
        // submits to its scheduler each time it is started, unparked or yields, carries nothing (the
        // JDK 21 to 25 names of the methods that submit it).
        List<Hooks.MethodHook> virtual = new java.util.ArrayList<>(List.of(
            new Hooks.MethodHook("run", RUNNABLE, new Hooks.Call(ServerCalls.TASKS, "virtualThread",
                "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS, Hooks.Source.ARG0), EXIT_TASK, true),
            refusable("start", Hooks.any(), SUBMITTING_THIS)));
        for (String submit : List.of("submitRunContinuation", "lazySubmitRunContinuation", "externalSubmitRunContinuation",
                "externalSubmitRunContinuationOrThrow")) {
            virtual.add(new Hooks.MethodHook(submit, Hooks.any(), CONTINUATION_SCHEDULING, ServerCalls.HANDED_OVER, true));
        }
        types.weave(hooks("java/lang/VirtualThread", virtual, List.of()));
        // A thread-per-task executor's task (JDK 21+): on a virtual thread, the thread's unit is decided
        // here, where the task is known (TaskHooks.perTaskRun).
        types.weave(hooks("java/util/concurrent/ThreadPerTaskExecutor$TaskRunner",
            List.of(new Hooks.MethodHook("run", Hooks.arguments(0), new Hooks.Call(ServerCalls.TASKS, "perTaskRun",
                "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.FIELD).field("task"), EXIT_TASK, true)), List.of()));
    }

    /**
     * The hooks of a ThreadPoolExecutor ({@code name}: the JDK's, or a server's copy of it, as
     * Tomcat's) whose {@code execute} methods take {@code execute}: each task is a unit (runTask), a
     * task submitted inside a unit carries it, each run (beforeExecute, runTask) taking the hold of a
     * submission to this executor, and a task that will not run releases it: drained by
     * shutdownNow, removed, discarded by the executor's DiscardOldestPolicy, or rejected and known not
     * to be queued again (Submissions: its submission threw, or one of the executor's own policies,
     * named in {@code policies}, handled it).
     */
    static List<Hooks.ClassHooks> threadPool(String name, java.util.function.Predicate<String> execute, List<String> policies) {
        List<Hooks.ClassHooks> hooks = new java.util.ArrayList<>();
        hooks.add(hooks(name,
            List.of(captures("execute", execute, SUBMITTING_TO_THIS),
                new Hooks.MethodHook("reject", RUNNABLE, new Hooks.Call(ServerCalls.TASKS, "rejectedInSubmission",
                    "(Ljava/lang/Object;)V", Hooks.Source.ARG0), null, false),
                new Hooks.MethodHook("shutdownNow", Hooks.arguments(0), null, new Hooks.Call(ServerCalls.TASKS, "drained",
                    "(Ljava/lang/Object;Ljava/lang/Object;)V", Hooks.Source.RETURN, Hooks.Source.THIS), false),
                new Hooks.MethodHook("remove", RUNNABLE, null, new Hooks.Call(ServerCalls.TASKS, "removed", "(Ljava/lang/Object;ZLjava/lang/Object;)V",
                    Hooks.Source.ARG0, Hooks.Source.RETURN, Hooks.Source.THIS), false),
                // Workers that already run when the agent attaches stay in the old runWorker frame; the
                // beforeExecute/afterExecute it calls for each task resolve to the new code. (Nested in
                // the unit of runTask for workers started later, which is harmless.) A subclass may
                // override afterExecute without calling super, so getTask, which every worker calls
                // between tasks, ends that unit too.
                new Hooks.MethodHook("beforeExecute", Hooks.arguments(2), null,
                    new Hooks.Call(ServerCalls.TASKS, "beforeExecuted", "(Ljava/lang/Object;Ljava/lang/Object;)V",
                        Hooks.Source.ARG1, Hooks.Source.THIS), false),
                new Hooks.MethodHook("afterExecute", Hooks.arguments(2), AFTER_EXECUTE, null, false),
                new Hooks.MethodHook("getTask", Hooks.arguments(0), AFTER_EXECUTE, null, false)),
            List.of(new Hooks.CallSwap("runWorker", "java/lang/Runnable", "run", "()V",
                    new Hooks.Call(ServerCalls.EXECUTOR, "runTask", "(Ljava/lang/Runnable;Ljava/lang/Object;)V", Hooks.Source.THIS)),
                // Whether the queue took the task (Tomcat's copy offers it in executeInternal).
                offered("execute"), offered("executeInternal"))));
        Hooks.Call handles = new Hooks.Call(ServerCalls.TASKS, "policyHandles", "(Ljava/lang/Object;)V", Hooks.Source.ARG0);
        for (String policy : policies) {
            List<Hooks.CallSwap> swaps = policy.equals("DiscardOldestPolicy")
                ? List.of(new Hooks.CallSwap("rejectedExecution", "java/util/concurrent/BlockingQueue", "poll", "()Ljava/lang/Object;",
                    new Hooks.Call(ServerCalls.TASKS, "discardOldest", "(Ljava/util/concurrent/BlockingQueue;Ljava/lang/Object;)Ljava/lang/Object;",
                        Hooks.Source.ARG1)))
                : List.of();
            hooks.add(hooks(name + "$" + policy,
                List.of(new Hooks.MethodHook("rejectedExecution", Hooks.arguments(2), handles, null, false)), swaps));
        }
        return hooks;
    }

    /** In {@code method}, the queue's {@code offer(task)} tells the task's submission whether the queue took it. */
    private static Hooks.CallSwap offered(String method) {
        return new Hooks.CallSwap(method, "java/util/concurrent/BlockingQueue", "offer", "(Ljava/lang/Object;)Z",
            new Hooks.Call(ServerCalls.TASKS, "offered", "(Ljava/util/concurrent/BlockingQueue;Ljava/lang/Object;)Z"));
    }

    /** FutureTask.cancel, ForkJoinTask.cancel: a task cancelled before it ran (shutdownNow cancels a ForkJoinPool's) releases its unit. */
    private static Hooks.MethodHook cancelled() {
        return new Hooks.MethodHook("cancel", Hooks.parameters("(Z)"), null, new Hooks.Call(ServerCalls.TASKS, "cancelled",
            "(Ljava/lang/Object;Z)V", Hooks.Source.THIS, Hooks.Source.RETURN), false);
    }

    /** As {@link #captures}, for an executor that throws RejectedExecutionException only for a task it did not take. */
    private static Hooks.MethodHook refusable(String method, java.util.function.Predicate<String> takes, Hooks.Call submitting) {
        return new Hooks.MethodHook(method, takes, submitting, SUBMITTED_OR_REFUSED, true);
    }

    /** The method's task carries the calling thread's unit: {@code submitting} on entry, {@code submitted} on the way out. */
    static Hooks.MethodHook captures(String method, java.util.function.Predicate<String> takes,
                                             Hooks.Call submitting) {
        return new Hooks.MethodHook(method, takes, submitting, SUBMITTED, true);
    }

    static Hooks.ClassHooks hooks(String name, List<Hooks.MethodHook> methods, List<Hooks.CallSwap> swaps) {
        return new Hooks.ClassHooks(name, false, List.of(), methods, swaps);
    }
}
