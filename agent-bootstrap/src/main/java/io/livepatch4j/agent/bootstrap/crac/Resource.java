package io.livepatch4j.agent.bootstrap.crac;

/** As {@code jdk.crac.Resource}: notified before a checkpoint and after the restore (or resume). */
public interface Resource {

    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
