package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;

/**
 * Spring's SimpleAsyncTaskExecutor, the {@code @Async} default when the context defines no executor:
 * it starts a thread per task, which the JDK rules do not carry, so each task it runs is a unit that
 * carries the unit it was submitted from. Spring's other executors and schedulers wrap JDK ones
 * (ThreadPoolTaskExecutor, ThreadPoolTaskScheduler, ConcurrentTaskScheduler): the JDK rules cover them.
 */
final class SpringAsync implements Integration {

    @Override
    public String name() {
        return "Spring's SimpleAsyncTaskExecutor (@Async by default)";
    }

    @Override
    public void declare(TypeGate types) {
        // doExecute(task): the thread it starts runs the task in the unit it was submitted from.
        types.weave(hooks("org/springframework/core/task/SimpleAsyncTaskExecutor", List.of(new Hooks.MethodHook("doExecute",
            Hooks.parameters("(Ljava/lang/Runnable;)"), ServerCalls.CARRIED_ARG0, null, false)), List.of()));
    }
}
