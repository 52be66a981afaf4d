package io.livepatch4j.agent.tooling.integrations;

/** The bootstrap runtime's hook classes and the calls several integrations weave. */
final class ServerCalls {

    static final String SERVER = "io/livepatch4j/agent/bootstrap/ServerHooks";
    static final String TASKS = "io/livepatch4j/agent/bootstrap/TaskHooks";
    static final String EXECUTOR = "io/livepatch4j/agent/bootstrap/ExecutorHooks";

    /** Work registered (an I/O thread's task, a listener): it joins the registering unit if that is still open when it runs. */
    static final Hooks.Call REGISTER_ARG0 = call(TASKS, "register", "(Ljava/lang/Object;)V", Hooks.Source.ARG0);
    /** A task an executor rejects releases the unit it carried. */
    static final Hooks.Call REJECTED_ARG0 = call(TASKS, "rejected", "(Ljava/lang/Object;)V", Hooks.Source.ARG0);
    /** The Runnable in the first argument, replaced by one that carries the submitting unit to the thread that runs it. */
    static final Hooks.Call CARRIED_ARG0 = call(SERVER, "carried", "(Ljava/lang/Runnable;)Ljava/lang/Runnable;",
        Hooks.Source.ARG0).into(Hooks.Source.ARG0);

    /** A hand-over's flags restored (ExecutorHooks.handedOver), from what its enter call returned. */
    static final Hooks.Call HANDED_OVER = call(EXECUTOR, "handedOver", "(Ljava/lang/Object;)V", Hooks.Source.ENTER);

    private ServerCalls() {}

    /**
     * The methods named {@code method} that take {@code takes} start the server's own work
     * (ExecutorHooks.serverWorkStarting): what they submit or start carries nothing, and its run is
     * no unit.
     */
    static Hooks.MethodHook serverWork(String method, java.util.function.Predicate<String> takes) {
        return new Hooks.MethodHook(method, takes, call(EXECUTOR, "serverWorkStarting", "()Ljava/lang/Object;"), HANDED_OVER, true);
    }

    static Hooks.Call call(String owner, String name, String descriptor, Hooks.Source... sources) {
        return new Hooks.Call(owner, name, descriptor, sources);
    }
}
