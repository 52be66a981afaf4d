package io.livepatch4j.agent.tooling.integrations;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One kind of code the agent was not written into (the JDK's executors, a server, a framework) and
 * where units of work begin and end in it, declared as Byte Buddy {@code Advice} on its classes, the
 * way OpenTelemetry writes its instrumentations. Each integration is one small file; its advice calls
 * {@code io.livepatch4j.agent.bootstrap.Units} and nothing else. It names the classes it instruments
 * through the {@link TypeGate} (by name, or as an API's implementations), never with a type matcher
 * of its own: a class the gate was not told of never reaches Byte Buddy.
 */
public interface Integration {

    /** What it covers, for the log and the docs: "Tomcat's thread pool", "the Servlet API". */
    String name();

    /**
     * Adds this integration's Byte Buddy advice to {@code builder}, on types matched by
     * {@code types}'s matchers, and declares its woven hooks ({@link TypeGate#weave}): hooks that
     * are plain static calls are woven with ASM (Hooks), without Byte Buddy.
     */
    AgentBuilder install(AgentBuilder builder, TypeGate types);
}
