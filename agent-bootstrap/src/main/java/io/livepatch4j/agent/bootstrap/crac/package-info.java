/**
 * What the {@code org.crac} facade (the {@code org.crac:crac} library that applications written for
 * CRaC depend on) calls on a stock JDK when the agent runs: the agent sets the facade's own switch,
 * the system property {@code org.crac.Core.Compat}, to this package, so the facade registers the
 * application's {@code Resource}s here instead of dropping them, and {@code lp4j checkpoint} notifies
 * them around the dump (docs/checkpoint.md).
 *
 * <p>The facade finds five classes here by name, with the same shape as {@code jdk.crac}'s:
 * {@link Resource}, {@link Context}, {@link Core}, {@link CheckpointException} and
 * {@link RestoreException}. It hands each application Resource to {@link Context#register} wrapped
 * in a proxy of {@link Resource}. Only java.base is used: these classes live in the bootstrap runtime.
 */
package io.livepatch4j.agent.bootstrap.crac;
