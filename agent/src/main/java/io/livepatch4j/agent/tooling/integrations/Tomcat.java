package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;

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
    public void declare(TypeGate types) {
        JdkExecutors.threadPool("org/apache/tomcat/util/threads/ThreadPoolExecutor", Hooks.parameters("(Ljava/lang/Runnable;"),
            List.of("AbortPolicy", "CallerRunsPolicy", "DiscardPolicy", "DiscardOldestPolicy", "RejectPolicy")).forEach(types::weave);
        // A rejected task that its execute forces into the queue after all (a saturated pool): it keeps its unit.
        types.weave(hooks("org/apache/tomcat/util/threads/TaskQueue",
            List.of(new Hooks.MethodHook("force", Hooks.parameters("(Ljava/lang/Runnable;"), null,
                new Hooks.Call(ServerCalls.TASKS, "forced", "(Ljava/lang/Object;Z)V", Hooks.Source.ARG0, Hooks.Source.RETURN), false)),
            List.of()));
        types.weave(hooks("org/apache/catalina/core/AsyncContextImpl",
            List.of(AsyncCycle.ends("fireOnComplete", Hooks.arguments(0)),
                AsyncCycle.ends("recycle", Hooks.arguments(0)),
                AsyncCycle.inCycle("timeout", Hooks.arguments(0)),
                AsyncCycle.inCycle("setErrorState", Hooks.arguments(2)),
                AsyncCycle.inCycle("doInternalDispatch", Hooks.arguments(0))), List.of()));
    }
}
