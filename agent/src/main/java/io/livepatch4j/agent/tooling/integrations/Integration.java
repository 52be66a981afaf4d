package io.livepatch4j.agent.tooling.integrations;

/**
 * One kind of code the agent was not written into (the JDK's executors, a server, a framework) and
 * where units of work begin and end in it. Each integration is one small file that declares its
 * classes and hooks to the {@link TypeGate}: static calls into the bootstrap runtime
 * ({@code TaskHooks}, {@code ServerHooks}, {@code NettyHooks}, {@code ServletHooks}) woven with
 * plain ASM ({@link Hooks}).
 */
public interface Integration {

    /** What it covers, for the log and the docs: "Tomcat's thread pool", "the Servlet API". */
    String name();

    /** Declares the classes this integration instruments ({@link TypeGate#weave}, {@link TypeGate#implementing}, {@link TypeGate#extending}). */
    void declare(TypeGate types);
}
