package io.livepatch4j.agent.tooling;

/**
 * The class the control-plane tests patch. {@link LifecycleDriver} makes its versions from these
 * bytes: version k of {@link #version()} returns k, so running it tells which version's code ran.
 * It is never prepared (the tests run without the agent): its own body is the original's code, as
 * a prepared class's body is while its guard is off.
 */
final class ControlPlaneSubject {

    private ControlPlaneSubject() {}

    static int version() {
        return 0;
    }
}
