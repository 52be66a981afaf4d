package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.CarriedTask;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

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
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("org.springframework.core.task.SimpleAsyncTaskExecutor"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Execute.class)
                .on(named("doExecute").and(takesArguments(Runnable.class)))));
    }

    /** doExecute(task): the thread it starts runs the task in the unit it was submitted from. */
    public static final class Execute {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
            task = CarriedTask.of(task);
        }
    }
}
