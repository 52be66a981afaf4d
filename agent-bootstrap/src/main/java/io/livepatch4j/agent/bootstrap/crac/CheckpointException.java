package io.livepatch4j.agent.bootstrap.crac;

/** As {@code jdk.crac.CheckpointException}: what Resources threw before a checkpoint, as suppressed exceptions. */
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException() {}
}
