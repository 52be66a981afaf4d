package io.livepatch4j.agent.bootstrap.crac;

/** As {@code jdk.crac.RestoreException}: what Resources threw after a restore, as suppressed exceptions. */
public class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public RestoreException() {}
}
