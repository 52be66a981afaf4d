package io.livepatch4j.agent.tooling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long each step of the agent's start took, wall time and the starting thread's CPU time (the
 * latter holds steady on a busy machine), for {@code debug=on} and the startup benchmark. The CPU
 * time is read from /proc, not through the ThreadMXBean: the platform MXBeans cost a server's start
 * about fifty classes, for a figure that only debug=on prints (elsewhere it reads as 0).
 */
final class StartSteps {

    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    private final StringBuilder steps = new StringBuilder();
    private final long began = System.nanoTime();
    private final long beganCpu = cpu();
    private long last = began;
    private long lastCpu = beganCpu;

    void done(String step) {
        long now = System.nanoTime();
        long cpu = cpu();
        steps.append(steps.length() == 0 ? "" : ", ").append(step).append(' ').append(ms(now - last))
            .append(" ms (cpu ").append(ms(cpu - lastCpu)).append(')');
        last = now;
        lastCpu = cpu;
    }

    /** The calling thread's CPU time in nanoseconds (the first field of its schedstat), 0 where /proc has none. */
    private static long cpu() {
        try {
            String s = Files.readString(SCHEDSTAT);
            int space = s.indexOf(' ');
            return Long.parseLong(space < 0 ? s.trim() : s.substring(0, space));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    @Override
    public String toString() {
        return "start took " + ms(last - began) + " ms (cpu " + ms(lastCpu - beganCpu) + "): " + steps;
    }
}
