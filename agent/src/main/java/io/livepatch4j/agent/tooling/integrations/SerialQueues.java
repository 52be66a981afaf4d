package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.SUBMITTED_OR_REFUSED;
import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.SUBMITTING_ARG0;
import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * Serial queues: one runner task, handed to an executor, runs the tasks many submitters queued, one
 * after another. Vert.x's TaskQueue is one (ordered {@code executeBlocking}, the default, and worker
 * contexts queue every request's blocking steps of a context there), Guava's SequentialExecutor
 * another. Without this integration the runner is the executor's task, carrying the unit of whichever
 * request started it, and every step queued behind runs in that unit: review 31 saw a request's
 * blocking step run the generation before the one its event-loop steps ran ({@code a=v2 b=v1}).
 *
 * <p>With it, a task queued from inside a unit carries that unit, as a task submitted to an executor
 * does (held open until the task runs, released if the queue refuses it); the runner is handed over
 * as a {@code QueueRunner}, which carries nothing and whose run is no unit; and each task the runner
 * runs is a unit, the one it carries or one of its own ({@code ExecutorHooks.runQueued}).
 */
final class SerialQueues implements Integration {

    private static final Hooks.Call DISPATCH = call(ServerCalls.EXECUTOR, "dispatchRunner",
        "(Ljava/util/concurrent/Executor;Ljava/lang/Runnable;Ljava/lang/Object;)V", Hooks.Source.THIS);
    /** The task to queue, wrapped to carry the unit itself where a runner from before the agent may run it. */
    private static final Hooks.Call QUEUEING = call(ServerCalls.EXECUTOR, "queueing", "(Ljava/lang/Runnable;Ljava/lang/Object;)Ljava/lang/Runnable;",
        Hooks.Source.ARG0, Hooks.Source.THIS).into(Hooks.Source.ARG0);
    private static final Hooks.Call RUN_QUEUED = call(ServerCalls.EXECUTOR, "runQueued", "(Ljava/lang/Runnable;)V");

    /**
     * One queue: its class ({@code owner}, internal name), the method that queues a task (its first
     * argument) and the parameters it takes, the methods that hand the runner to an executor, and the
     * methods in which the runner runs a queued task. Methods are named {@code class.method}; a class
     * ending in {@code $} stands for each of the owner's nested classes, whatever the compiler numbered
     * them.
     */
    record Queue(String owner, String enqueue, String parameters, List<String> dispatchers, List<String> runs) {
    }

    private static final String VERTX = "io/vertx/core/impl/TaskQueue";
    private static final String GUAVA = "com/google/common/util/concurrent/SequentialExecutor";

    /** The queues this integration knows. A class that is absent is simply never woven. */
    static final List<Queue> QUEUES = List.of(
        // Vert.x 4 and 5: execute(task, executor) adds the task and, if idle, hands the runner (this::run)
        // to the executor; run() takes the tasks one by one, and hands itself over again when the next
        // task is for another executor. On a virtual-thread context, a task that awaits suspends
        // (ContinuationTask.suspend), which hands the runner to a new virtual thread for the tasks behind.
        new Queue(VERTX, "execute", "(Ljava/lang/Runnable;Ljava/util/concurrent/Executor;)",
            List.of(VERTX + ".execute", VERTX + ".run", VERTX + "$.suspend"), List.of(VERTX + ".run")),
        // Guava: execute(task) queues the task, or, when the worker is idle, a wrapper of it (an
        // anonymous Runnable) that it then hands over; the worker runs what it polls, the wrapper the
        // task. Were the wrapper's run not woven, the task's hold would be taken by no run, and would
        // keep its unit open until the task was collected.
        new Queue(GUAVA, "execute", "(Ljava/lang/Runnable;)",
            List.of(GUAVA + ".execute"), List.of(GUAVA + "$QueueWorker.workOnQueue", GUAVA + "$.run")));

    @Override
    public String name() {
        return "serial queues (Vert.x's TaskQueue, Guava's SequentialExecutor)";
    }

    @Override
    public void declare(TypeGate types) {
        for (Queue q : QUEUES) {
            // The entry calls run in the reverse order of this list: QUEUEING (which may wrap the task),
            // then the submission, which captures the hold on what is queued. A queue that refuses the
            // task throws RejectedExecutionException (its executor refused the runner, and the queue
            // took the task back): the queue is no ExecutorService, so the refusal is final and
            // releases the hold (TaskHooks.submittedOrRefused).
            types.weave(hooks(q.owner(), List.of(
                new Hooks.MethodHook(q.enqueue(), Hooks.parameters(q.parameters()), SUBMITTING_ARG0, SUBMITTED_OR_REFUSED, true),
                new Hooks.MethodHook(q.enqueue(), Hooks.parameters(q.parameters()), QUEUEING, null, false)), List.of()));
            for (String d : q.dispatchers()) {
                types.weave(swap(d, "java/util/concurrent/Executor", "execute", "(Ljava/lang/Runnable;)V", DISPATCH));
            }
            for (String r : q.runs()) {
                types.weave(swap(r, "java/lang/Runnable", "run", "()V", RUN_QUEUED));
            }
        }
    }

    /** In the methods {@code at} names ({@code class.method}, see {@link Queue}), each call of {@code owner.name} becomes {@code hook}. */
    private static Hooks.ClassHooks swap(String at, String owner, String name, String descriptor, Hooks.Call hook) {
        int dot = at.lastIndexOf('.');
        String type = at.substring(0, dot);
        return new Hooks.ClassHooks(type, type.endsWith("$"), List.of(), List.of(),
            List.of(new Hooks.CallSwap(at.substring(dot + 1), owner, name, descriptor, hook)));
    }
}
