package io.livepatch4j.bench.prepared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from /proc, to say how much of the shared machine other processes took while a run was
 * measured (a run measured beside a busy neighbour is noisier, and the page says so).
 */
final class MachineCpu {

    /** USER_HZ, the unit of /proc's CPU times (100 on Linux x86-64). */
    static final double TICKS_PER_SECOND = 100;

    private MachineCpu() {}

    /** Busy ticks of all CPUs together (everything but idle and iowait); -1 where /proc/stat cannot be read. */
    static long busyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a process, in ticks, its exited threads included; -1 if it is gone. */
    static long processTicks(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Time on a CPU of a process's live threads, in nanoseconds, from the scheduler's own accounting
     * ({@code /proc/PID/task/TID/schedstat}): all of them, or with
     * {@code jitOnly} its JIT compiler threads ("C1 CompilerThreadN", "C2 CompilerThreadN"). A thread
     * that ended is not counted. -1 if the process is gone.
     */
    static long runtimeNanos(long pid, boolean jitOnly) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long nanos = 0;
        try (var dir = Files.newDirectoryStream(tasks)) {
            for (Path t : dir) {
                try {
                    if (jitOnly) {
                        String comm = Files.readString(t.resolve("comm"));
                        if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
                            continue;
                        }
                    }
                    nanos += Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split("\\s+")[0]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return nanos;
    }

    /** Percent of one CPU that others took: machine busy minus {@code ownTicks}, over {@code nanos}. */
    static double otherPercent(long busyTicks, long ownTicks, long nanos) {
        if (busyTicks < 0 || ownTicks < 0) {
            return Double.NaN;
        }
        return Math.max(0, busyTicks - ownTicks) / TICKS_PER_SECOND / (nanos / 1e9) * 100;
    }
}
