package io.livepatch4j.agent.bootstrap;

/**
 * How application threads tell the tooling about a transition in progress. Called on the
 * application thread, only while a transition is active, so implementations must be quick and must
 * not block.
 */
public interface TransitionListener {

    /** The thread passed a quiescence point; it had run its last unit of work in {@code from}. */
    void quiescent(Thread thread, Generation from);
}
