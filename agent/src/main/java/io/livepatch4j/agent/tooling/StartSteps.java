package io.livepatch4j.agent.tooling;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * How long each step of the agent's start took, wall time and the starting thread's CPU time (the
 * latter holds steady on a busy machine), for {@code debug=on} and the startup benchmark.
 */
final class StartSteps {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final StringBuilder steps = new StringBuilder();
    private final long began = System.nanoTime();
    private final long beganCpu = THREADS.getCurrentThreadCpuTime();
    private long last = began;
    private long lastCpu = beganCpu;

    void done(String step) {
        long now = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        steps.append(steps.length() == 0 ? "" : ", ").append(step).append(' ').append(ms(now - last))
            .append(" ms (cpu ").append(ms(cpu - lastCpu)).append(')');
        last = now;
        lastCpu = cpu;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    @Override
    public String toString() {
        return "start took " + ms(last - began) + " ms (cpu " + ms(lastCpu - beganCpu) + "): " + steps;
    }
}
