package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.tooling.advice.UnitAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.MemberSubstitution;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Tomcat (9 to 11). Its connectors run requests on {@code org.apache.tomcat.util.threads.ThreadPoolExecutor},
 * Tomcat's own copy of the JDK's: the same rule as {@link JdkExecutors} (each task is an executor
 * task, a task submitted inside a unit carries it, a rejected task or one shutdownNow drains releases it; beforeExecute and
 * afterExecute for workers that ran before the agent attached). Its AsyncContextImpl ends every async
 * cycle in fireOnComplete, also after a timeout or an error that no application code completed, and
 * recycles after it: both end the request's unit the Servlet API integration holds open; a timeout,
 * an error and an internal dispatch run in it.
 */
final class Tomcat implements Integration {

    @Override
    public String name() {
        return "Tomcat's thread pool and async requests";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("org.apache.tomcat.util.threads.ThreadPoolExecutor"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.Capture.class).on(named("execute").and(takesArgument(0, Runnable.class))))
                .visit(Advice.to(UnitAdvice.Rejected.class).on(named("reject").and(takesArguments(Runnable.class))))
                .visit(Advice.to(UnitAdvice.Drained.class).on(named("shutdownNow").and(takesArguments(0)))))
            .transform((b, type, loader, module, pd) -> b.visit(MemberSubstitution.relaxed()
                .method(named("run").and(isDeclaredBy(Runnable.class)).and(takesArguments(0)))
                .replaceWith(JdkExecutors.hook("runTask", Runnable.class))
                .on(named("runWorker"))))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.BeforeExecute.class).on(named("beforeExecute").and(takesArguments(2))))
                .visit(Advice.to(UnitAdvice.AfterExecute.class).on(named("afterExecute").and(takesArguments(2))))
                .visit(Advice.to(UnitAdvice.AfterExecute.class).on(named("getTask").and(takesArguments(0)))))

            .type(types.named("org.apache.catalina.core.AsyncContextImpl"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(AsyncCycle.Ends.class).on(named("fireOnComplete").or(named("recycle")).and(takesArguments(0))))
                .visit(Advice.to(AsyncCycle.InCycle.class).on(named("timeout").and(takesArguments(0))
                    .or(named("setErrorState").and(takesArguments(2)))
                    .or(named("doInternalDispatch").and(takesArguments(0))))));
    }
}
