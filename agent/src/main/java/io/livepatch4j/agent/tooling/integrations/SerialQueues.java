package io.livepatch4j.agent.tooling.integrations;

import java.util.ArrayList;
import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.SUBMITTED;
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
        "(Ljava/util/concurrent/Executor;Ljava/lang/Runnable;)V");
    private static final Hooks.Call RUN_QUEUED = call(ServerCalls.EXECUTOR, "runQueued", "(Ljava/lang/Runnable;)V");

    /**
     * One queue: its class ({@code owner}, internal name), the method that queues a task (its first
     * argument) and the parameters it takes, the methods of {@code owner} that hand the runner to an
     * executor, and the methods, {@code class.method}, in which the runner runs a queued task (a class
     * ending in {@code $}: each of the owner's nested classes, whatever the compiler numbered them).
     */
    record Queue(String owner, String enqueue, String parameters, List<String> dispatchers, List<String> runs) {
    }

    /** The queues this integration knows. Each class that is absent is simply never woven. */
    static final List<Queue> QUEUES = List.of(
        // Vert.x 4 and 5: execute(task, executor) adds the task and, if idle, hands the runner (this::run)
        // to the executor; run() takes the tasks one by one, and hands itself over again when the next
        // task is for another executor.
        new Queue("io/vertx/core/impl/TaskQueue", "execute", "(Ljava/lang/Runnable;Ljava/util/concurrent/Executor;)",
            List.of("execute", "run"), List.of("io/vertx/core/impl/TaskQueue.run")),
        // Guava: execute(task) queues the task, or, when the worker is idle, a wrapper of it (an
        // anonymous Runnable) that it then hands over; the worker runs what it polls, the wrapper the
        // task. Were the wrapper's run not woven, the task's hold would be taken by no run, and would
        // keep its unit open until the task was collected.
        new Queue("com/google/common/util/concurrent/SequentialExecutor", "execute", "(Ljava/lang/Runnable;)",
            List.of("execute"), List.of("com/google/common/util/concurrent/SequentialExecutor$QueueWorker.workOnQueue",
                "com/google/common/util/concurrent/SequentialExecutor$.run")));

    @Override
    public String name() {
        return "serial queues (Vert.x's TaskQueue, Guava's SequentialExecutor)";
    }

    @Override
    public void declare(TypeGate types) {
        for (Queue q : QUEUES) {
            List<Hooks.CallSwap> swaps = new ArrayList<>();
            for (String d : q.dispatchers()) {
                swaps.add(new Hooks.CallSwap(d, "java/util/concurrent/Executor", "execute", "(Ljava/lang/Runnable;)V", DISPATCH));
            }
            for (String r : q.runs()) {
                int dot = r.lastIndexOf('.');
                String owner = r.substring(0, dot);
                Hooks.CallSwap run = new Hooks.CallSwap(r.substring(dot + 1), "java/lang/Runnable", "run", "()V", RUN_QUEUED);
                if (owner.equals(q.owner())) {
                    swaps.add(run);
                } else {
                    types.weave(new Hooks.ClassHooks(owner, owner.endsWith("$"), List.of(), List.of(), List.of(run)));
                }
            }
            types.weave(hooks(q.owner(), List.of(new Hooks.MethodHook(q.enqueue(), Hooks.parameters(q.parameters()),
                SUBMITTING_ARG0, SUBMITTED, true)), swaps));
        }
    }
}
