/**
 * The part of the agent that application threads execute: units of work, per-thread generations and
 * the dispatch that patched classes link to. It is appended to the bootstrap class path so that
 * every class loader sees one copy; it must stay small, depend on nothing outside java.base, and
 * never load tooling classes. The tooling (io.livepatch4j.agent.tooling) drives it through
 * {@link io.livepatch4j.agent.bootstrap.Generations} and {@link io.livepatch4j.agent.bootstrap.PatchableClass}.
 */
package io.livepatch4j.agent.bootstrap;
