package io.livepatch4j.agent.bootstrap;

/**
 * One thread's record of the application call it runs units in (see {@link AppCalls}): the call's
 * frame ({@code key}: its depth from the bottom of the stack and its method), the generation the
 * call runs, the chain of transitions it was recorded in and the tracking epoch in which it was recorded. Immutable: a thread that goes on in
 * the same call records a new object, so a compare-and-set tells whether it did.
 */
record AppCall(String key, Generation generation, Object chain, long sinceTracking) {
}
