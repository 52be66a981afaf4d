package io.livepatch4j.bench.prepared;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of a pair (with or without the agent, as {@link LibraryPair} launched it): checks the
 * workload's result over its first operations, warms up (discarded: class loading, C1 and C2 settle),
 * prints {@code READY}, then runs the workload on one thread only when told to, a slice at a time, so
 * that the two JVMs of a pair take turns on a quiet CPU:
 *
 * <pre>
 *   java [flags] -cp ... io.livepatch4j.bench.prepared.WorkloadMain NAME WARMUP_SECONDS [trace]
 *   stdout: READY checksum=... warmup_s=...
 *   stdin "RUN NANOS"  stdout: SLICE ops=... wall_ns=... cpu_ns=... alloc=...
 *   stdin "END"        stdout: RESULT key=value ...   (then it exits)
 * </pre>
 *
 * With {@code trace}, the warm-up prints each second's operations and thread CPU per operation, to
 * check that it is long enough for C2 to settle.
 */
public final class WorkloadMain {

    /** Operations whose combined result must be the same in every run: the work done is the same work. */
    private static final int CHECKED_OPS = 256;
    private static final long SECOND = 1_000_000_000L;
    /** Compiling less than this in a second (all compiler threads) counts as a quiet JIT. */
    private static final long QUIET_COMPILE_MS = 10;

    private WorkloadMain() {}

    public static void main(String[] args) throws Exception {
        Workload w = Workloads.create(args[0]);
        long warmupNanos = TimeUnit.MILLISECONDS.toNanos((long) (Double.parseDouble(args[1]) * 1000));
        boolean trace = args.length > 2 && "trace".equals(args[2]);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();

        long checksum = 0;
        long i = 0;
        for (; i < CHECKED_OPS; i++) {
            checksum = checksum * 31 + w.op(i);
        }
        long sink = 0;
        long start = System.nanoTime();
        long second = start;
        long secondOps = 0;
        long secondCpu = threads.getCurrentThreadCpuTime();
        long compiled = compileMs();
        long quietSeconds = 0;
        // At least the set time, then until the JIT has been quiet for two whole seconds: nothing queued
        // or being compiled at either check, and less than QUIET_COMPILE_MS compiled in each second (on
        // a busy machine C2 falls behind, and a starved compiler thread adds no compile time while its
        // queue waits); at most three times the set time.
        for (long now = start; now - start < 3 * warmupNanos; now = System.nanoTime()) {
            sink += w.op(i++);
            secondOps++;
            if (now - second >= SECOND) {
                long c = compileMs();
                quietSeconds = c - compiled <= QUIET_COMPILE_MS && compilerIdle() ? quietSeconds + 1 : 0;
                if (trace) {
                    long cpu = threads.getCurrentThreadCpuTime();
                    System.out.printf(Locale.ROOT, "warm-up %5.1f s: %8d ops/s, %8.2f us CPU per op, compiled %d ms%n",
                        (now - start) / 1e9, secondOps * SECOND / (now - second), (cpu - secondCpu) / 1e3 / secondOps, c);
                    secondCpu = cpu;
                }
                compiled = c;
                second = now;
                secondOps = 0;
                if (now - start >= warmupNanos && quietSeconds >= 2) {
                    break;
                }
            }
        }
        System.out.printf(Locale.ROOT, "READY checksum=%016x warmup_s=%.1f%n", checksum, (System.nanoTime() - start) / 1e9);
        System.out.flush();

        long compileMs0 = compileMs();
        long[] gc0 = gc();
        long measuredOps = 0;
        long measuredAlloc = 0;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && line.startsWith("RUN ");) {
            long nanos = Long.parseLong(line.substring(4).trim());
            long alloc0 = threads.getThreadAllocatedBytes(self);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long ops = 0;
            long t0 = System.nanoTime();
            long t;
            do { // time is read after every operation: tens of nanoseconds against microseconds
                sink += w.op(i++);
                ops++;
                t = System.nanoTime();
            } while (t - t0 < nanos);
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long alloc = threads.getThreadAllocatedBytes(self) - alloc0;
            measuredOps += ops;
            measuredAlloc += alloc;
            System.out.printf(Locale.ROOT, "SLICE ops=%d wall_ns=%d cpu_ns=%d alloc=%d%n", ops, t - t0, cpu, alloc);
            System.out.flush();
        }
        long[] gc = gc();
        System.out.printf(Locale.ROOT,
            "RESULT workload=%s alloc_per_op=%.1f gc_count=%d gc_ms=%d compile_ms=%d code_cache_kb=%d classes=%d sink=%d%n",
            args[0], measuredOps == 0 ? 0.0 : (double) measuredAlloc / measuredOps, gc[0] - gc0[0], gc[1] - gc0[1],
            compileMs() - compileMs0, codeCacheKb(), ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(),
            sink & 0xff);
    }

    /**
     * Whether the JIT has nothing to do: no compilation running or queued, as {@code jcmd PID
     * Compiler.queue} would print (through the DiagnosticCommand MBean, in process).
     */
    private static boolean compilerIdle() {
        try {
            Object queue = ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerQueue",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
            for (String line : String.valueOf(queue).split("\n")) {
                String l = line.trim();
                // a task: "1280  4  java.util.HashMap::put (13 bytes)", or "C2 CompilerThread0  1305 ..." under current compiles
                if (!l.isEmpty() && (Character.isDigit(l.charAt(0)) || l.matches("C[12] CompilerThread\\d+\\s+\\d+.*"))) {
                    return false;
                }
            }
            return true;
        } catch (javax.management.JMException | RuntimeException e) {
            return true; // no such command on this JVM: compile time alone decides
        }
    }

    private static long compileMs() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private static long[] gc() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    /** Compiled code in use: the code heaps (segmented code cache) or the one code cache. */
    private static long codeCacheKb() {
        long bytes = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().startsWith("CodeHeap") || p.getName().equals("Code Cache")) {
                bytes += p.getUsage().getUsed();
            }
        }
        return bytes / 1024;
    }
}
