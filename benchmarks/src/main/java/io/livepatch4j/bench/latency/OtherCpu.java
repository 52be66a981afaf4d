package io.livepatch4j.bench.latency;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much CPU processes other than the harness and its servers took during a measured period, from
 * /proc: the machine is shared (two CPUs, other builds and benchmarks), and a scenario measured
 * while something else ran must say so. A process that both started and ended inside the period
 * is not seen; one that started inside it is counted from its start.
 */
public final class OtherCpu {

    /** CPU ticks per process (pid to start time, ticks and nice) and of the whole machine, at one instant. */
    public record Snapshot(Map<Long, long[]> processes, long busyTicks, long nanos) {
    }

    /** USER_HZ: the unit of /proc's CPU times (100 on every Linux x86-64 distribution). */
    private static final double TICKS_PER_SECOND = 100;

    private OtherCpu() {}

    public static Snapshot take() {
        Map<Long, long[]> processes = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : dir) {
                long[] t = ticks(p.resolve("stat"));
                if (t != null) {
                    processes.put(Long.parseLong(p.getFileName().toString()), t);
                }
            }
        } catch (IOException e) {
            // leave the map as far as it got
        }
        return new Snapshot(processes, machineBusy(), System.nanoTime());
    }

    /** Start time, utime+stime and nice of one process; null if it is gone. */
    static long[] ticks(Path stat) {
        try {
            return parseStat(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Start time, utime+stime and nice, from the fields after the command name (which may hold spaces
     * and parentheses): utime 14, stime 15, nice 19, starttime 22.
     */
    static long[] parseStat(String line) {
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
        return new long[] {Long.parseLong(f[19]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                Long.parseLong(f[16])};
    }

    private static long machineBusy() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Percent of one CPU that processes outside {@code ours} used between the two snapshots; with
     * {@code niced} false, only those at normal or higher priority (a process at nice > 0, like a
     * build started with nice, yields the CPUs to the server and hardly disturbs it).
     */
    public static double otherPercent(Snapshot a, Snapshot b, Set<Long> ours, boolean niced) {
        long ticks = 0;
        for (Map.Entry<Long, long[]> e : b.processes().entrySet()) {
            if (ours.contains(e.getKey()) || (e.getValue()[2] > 0) != niced) {
                continue;
            }
            long[] before = a.processes().get(e.getKey());
            long[] after = e.getValue();
            ticks += before != null && before[0] == after[0] ? after[1] - before[1] : after[1];
        }
        return percent(ticks, a, b);
    }

    /**
     * Percent of one CPU that the processes {@code pids} used between the two snapshots, counting
     * only processes alive at both (a server restarted meanwhile is not counted: use NaN-aware callers).
     */
    static double percentOf(Snapshot a, Snapshot b, Set<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            long[] before = a.processes().get(pid);
            long[] after = b.processes().get(pid);
            if (before == null || after == null || before[0] != after[0]) {
                return Double.NaN;
            }
            ticks += after[1] - before[1];
        }
        return percent(ticks, a, b);
    }

    /**
     * CPU ticks so far of the threads of {@code pid} whose name starts with one of {@code prefixes}
     * (e.g. HotSpot's "C2 CompilerThread0"; /proc shows the first 15 characters), or -1.
     */
    static long threadTicks(long pid, List<String> prefixes) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks =
                Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path t : tasks) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (prefixes.stream().anyMatch(name::startsWith)) {
                    ticks += parseStat(stat)[1];
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks;
    }

    /** HotSpot's JIT compiler threads. */
    static final List<String> COMPILER_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");

    /** Percent of one CPU over {@code nanos} for {@code ticks}, NaN if either end was not read. */
    static double percent(long ticksBefore, long ticksAfter, long nanos) {
        return ticksBefore < 0 || ticksAfter < 0 || nanos <= 0 ? Double.NaN
            : 100.0 * (ticksAfter - ticksBefore) / TICKS_PER_SECOND / (nanos / 1e9);
    }

    /** Percent of one CPU the whole machine was busy (at most 100 times the CPU count). */
    static double busyPercent(Snapshot a, Snapshot b) {
        return a.busyTicks() < 0 || b.busyTicks() < 0 ? Double.NaN
                : percent(b.busyTicks() - a.busyTicks(), a, b);
    }

    private static double percent(long ticks, Snapshot a, Snapshot b) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        return seconds <= 0 ? Double.NaN : 100.0 * ticks / TICKS_PER_SECOND / seconds;
    }
}
