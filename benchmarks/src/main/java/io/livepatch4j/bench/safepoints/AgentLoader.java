package io.livepatch4j.bench.safepoints;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads the agent into a running JVM with the Attach API and prints the window it took
 * ({@code WINDOW agent-load ...}). A process of its own, started with the target's own JDK, so the
 * attaching side is always the same release as the child, whichever JDK the parent runs on.
 *
 * <pre>AgentLoader PID AGENT_JAR [OPTIONS]</pre>
 */
public final class AgentLoader {

    private AgentLoader() {}

    @picocli.CommandLine.Command(name = "AgentLoader", mixinStandardHelpOptions = true,
        description = "Loads the agent into a running JVM with the Attach API and prints the window it took.")
    static final class Options {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "PID", description = "the JVM")
        String pid;

        @picocli.CommandLine.Parameters(index = "1", paramLabel = "AGENT_JAR", description = "the agent jar")
        String agentJar;

        @picocli.CommandLine.Parameters(index = "2", arity = "0..1", paramLabel = "OPTIONS", defaultValue = "",
            description = "the agent's options (default: none)")
        String options;
    }

    public static void main(String[] args) throws Exception {
        Options o = io.livepatch4j.bench.MainOptions.parseOrExit(new Options(), args);
        String options = o.options;
        long start = System.nanoTime();
        VirtualMachine vm = VirtualMachine.attach(o.pid);
        try {
            vm.loadAgent(o.agentJar, options);
        } finally {
            vm.detach();
        }
        long end = System.nanoTime();
        System.out.println(new Window(Window.AGENT_LOAD, 0, start, end).line());
    }
}
