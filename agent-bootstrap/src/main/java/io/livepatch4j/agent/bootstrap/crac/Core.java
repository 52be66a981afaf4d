package io.livepatch4j.agent.bootstrap.crac;

/**
 * As {@code jdk.crac.Core}: the global context. A checkpoint is taken from outside the JVM
 * ({@code lp4j checkpoint}, which needs root for CRIU), so {@link #checkpointRestore} cannot take
 * one from inside and says so with the exception the facade documents for "not supported here".
 */
public final class Core {

    /** The system property the {@code org.crac} facade reads to find an implementation. */
    public static final String FACADE_PROPERTY = "org.crac.Core.Compat";

    private static final GlobalContext GLOBAL = new GlobalContext();

    private Core() {}

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    /** The global context with the calls the agent makes around a checkpoint. */
    public static GlobalContext global() {
        return GLOBAL;
    }

    public static void checkpointRestore() throws CheckpointException, RestoreException {
        throw new UnsupportedOperationException("this JVM is checkpointed from outside: run 'lp4j checkpoint --pid "
            + ProcessHandle.current().pid() + " --dir DIR' as root (livepatch4j, docs/checkpoint.md)");
    }
}
