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

    public static void main(String[] args) throws Exception {
        String options = args.length > 2 ? args[2] : "";
        long start = System.nanoTime();
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgent(args[1], options);
        } finally {
            vm.detach();
        }
        long end = System.nanoTime();
        System.out.println(new Window(Window.AGENT_LOAD, 0, start, end).line());
    }
}
