package io.livepatch4j.agent.tooling;

/**
 * The agent's JMX interface, registered as {@code io.livepatch4j:type=LivePatch}, so jconsole,
 * VisualVM, JMC and scripts see the generations and can apply or roll back. Operations refuse with an
 * IllegalArgumentException whose message says why; a refused operation changes nothing. The MBean
 * also has the attribute {@code Status}, the status as open data (see {@link LivePatchMBean}); the
 * names and descriptions that jconsole shows are in {@link LivePatchMBean}.
 */
public interface LivePatchMXBean {

    long getCurrentGeneration();

    /** prepared (started with -javaagent) or attach (loaded into a running JVM). */
    String getMode();

    boolean isTransitionRunning();

    /** The full status as JSON (the same as 'lp4j status --json'). */
    String getStatusJson();

    /** Applies the patch file at {@code path} with strategy local, global or redefine; returns the result as JSON. */
    String apply(String path, String strategy);

    /** Rolls back to generation {@code toGeneration} with strategy local, global or redefine; returns the result as JSON. */
    String rollback(long toGeneration, String strategy);
}
