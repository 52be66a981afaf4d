package io.livepatch4j.agent.bootstrap.crac;

/** As {@code jdk.crac.Context}: a Resource that notifies the Resources registered with it. */
public abstract class Context<R extends Resource> implements Resource {

    protected Context() {}

    public abstract void register(R resource);
}
