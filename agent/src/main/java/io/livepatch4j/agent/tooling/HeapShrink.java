package io.livepatch4j.agent.tooling;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Before a checkpoint: collects the heap and gives its free part back to the system, so that CRIU's
 * image holds the live data and not the garbage (CRIU writes every page the process has, and pages
 * given back are none). The collector decides what can be given back (docs/checkpoint.md has the
 * figures for each):
 * <ul>
 * <li>G1, Parallel and Serial shrink the heap after a full collection until at most
 * MaxHeapFreeRatio percent of it is free. Both ratios are manageable flags: they are set to
 * {@value #MIN_FREE} and {@value #MAX_FREE} for the collection and kept there until the checkpoint
 * is over ({@link #restoreRatios}), so that the heap does not grow straight back before the freeze;
 * afterwards it grows again as the application needs.</li>
 * <li>G1 (JDK 17 and later) gives the memory of the regions it shrank by back on its own service
 * thread, about a tenth of a second later, and takes such regions back first when the heap grows:
 * so the agent waits until the process's resident memory has not fallen for 300 ms (at most
 * {@link #SETTLE_MILLIS}).</li>
 * <li>Parallel resizes its heap after System.gc() only when started with
 * -XX:+UseAdaptiveSizePolicyWithSystemGC, and then only its old generation.</li>
 * <li>ZGC gives memory back on its own thread, pages unused for ZUncommitDelay seconds (300 by
 * default, not manageable); where the delay is at most {@link #ZGC_LONGEST_DELAY} s the agent waits
 * for it and then until the committed heap stops falling, at most {@link #ZGC_WAIT_MILLIS} more.</li>
 * <li>No collector gives back memory below the heap's minimum size (-Xms, or -XX:MinHeapSize): a
 * JVM started with -Xms equal to -Xmx keeps its whole heap, and the result says so.</li>
 * </ul>
 * The collection is a full, stop-the-world one for G1, Parallel and Serial: its pause is in the
 * result ({@link Result#gcMillis}). It runs while the JVM still serves, before CRIU freezes it.
 */
final class HeapShrink {

    static final String MIN_FREE = "0";
    static final String MAX_FREE = "10";
    static final long ZGC_WAIT_MILLIS = 5_000;
    static final long ZGC_LONGEST_DELAY = 10;
    static final long SETTLE_MILLIS = 2_000;
    private static final long MIB = 1L << 20;

    private HeapShrink() {}

    /**
     * @param committedAfterGc the heap committed right after the collection: what the shrink itself did
     * @param committedAfter   the heap committed when the agent hands the JVM to the checkpoint: the
     *                         collector may have taken memory again in between, for what the
     *                         application (or G1's own sizing, after so short an eden) allocated
     * @param usedAfterGc the heap in use right after the collection: about the live data
     * @param gcMillis    how long the collection took (the application is paused for most of it)
     * @param totalMillis the whole step, waiting for ZGC included
     * @param how         how the collection was asked for
     * @param note        what limited the shrink, or null
     */
    record Result(String collector, long committedBefore, long committedAfterGc, long committedAfter, long usedAfterGc,
                  long rssBefore, long rssAfter, long minimumHeap, double gcMillis, double totalMillis, String how, String note) {}

    /** The ratios as they were before {@link #run}, put back by {@link #restoreRatios}; null when not changed. */
    private static String[] savedRatios;

    static Result run() throws IOException {
        long t0 = System.nanoTime();
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String collector = collector();
        long committedBefore = committed();
        long rssBefore = rss();
        long minimum = Long.parseLong(hs.getVMOption("MinHeapSize").getValue());
        boolean ratios = !collector.equals("ZGC") && !collector.equals("Shenandoah") && !collector.equals("Epsilon");
        String minFree = hs.getVMOption("MinHeapFreeRatio").getValue();
        String maxFree = hs.getVMOption("MaxHeapFreeRatio").getValue();
        String how;
        long g0 = System.nanoTime();
        if (ratios) {
            synchronized (HeapShrink.class) {
                savedRatios = savedRatios != null ? savedRatios : new String[] {minFree, maxFree};
            }
            hs.setVMOption("MinHeapFreeRatio", MIN_FREE); // first: the JVM keeps Min <= Max at every step
            hs.setVMOption("MaxHeapFreeRatio", MAX_FREE);
        }
        try {
            how = collect(hs);
        } catch (RuntimeException | Error e) {
            restoreRatios();
            throw e;
        }
        double gcMillis = (System.nanoTime() - g0) / 1e6;
        java.lang.management.MemoryUsage afterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long usedAfterGc = afterGc.getUsed();
        long committedAfterGc = afterGc.getCommitted();
        // ZGC does not uncommit at all when the minimum heap is the maximum.
        long zgcDelay = collector.equals("ZGC") ? zgcUncommitDelay(hs) : Long.MAX_VALUE;
        boolean zgcUncommits = zgcDelay <= ZGC_LONGEST_DELAY && minimum < Runtime.getRuntime().maxMemory();
        if (zgcUncommits) {
            awaitUncommit(zgcDelay);
        }
        // G1 hands the memory of the regions it shrank by back on its service thread, a little later.
        awaitStopsFalling(HeapShrink::rss, 25, 1L << 20, 300, SETTLE_MILLIS);
        long committedAfter = committed();
        String note = null;
        if (committedAfter <= minimum + MIB && committedBefore > minimum) {
            note = "the heap cannot be smaller than its minimum size (-Xms or -XX:MinHeapSize, " + minimum / MIB
                + " MiB): start the JVM with a smaller -Xms for smaller checkpoints";
        } else if (committedBefore <= minimum) {
            note = "the heap is at its minimum size (-Xms or -XX:MinHeapSize, " + minimum / MIB
                + " MiB): nothing to give back; start the JVM with a smaller -Xms for smaller checkpoints";
        } else if (collector.equals("ZGC") && !zgcUncommits) {
            note = "ZGC gives memory back only ZUncommitDelay seconds after it was last used (300 by default), too "
                + "long to wait for: start the JVM with -XX:ZUncommitDelay=1 for smaller checkpoints";
        } else if (collector.equals("Parallel") && !flag(hs, "UseAdaptiveSizePolicyWithSystemGC")) {
            note = "Parallel resizes its heap after a System.gc() only when started with "
                + "-XX:+UseAdaptiveSizePolicyWithSystemGC (and then its old generation only)";
        } else if (collector.equals("Epsilon")) {
            note = "Epsilon does not collect: nothing is given back";
        } else if (!ratios && !collector.equals("ZGC")) {
            note = collector + " is collected but not asked to give memory back";
        } else if (committedAfter >= committedBefore && committedAfterGc < committedBefore) {
            note = "the collection shrank the heap to " + committedAfterGc / MIB + " MiB, but " + collector + " took "
                + "memory again before the checkpoint (" + committedAfter / MIB + " MiB committed): the application "
                + "allocates, and so short a heap leaves its young generation little room; only the pages it touched "
                + "go into the image";
        } else if (committedAfter >= committedBefore) {
            note = "the heap did not shrink: " + collector + " took memory again as fast as it gave it back (the "
                + "application allocates); --no-shrink spares the collection";
        }
        return new Result(collector, committedBefore, committedAfterGc, committedAfter, usedAfterGc, rssBefore, rss(),
            minimum, gcMillis,
            (System.nanoTime() - t0) / 1e6, how, note);
    }

    /** A full collection; through the diagnostic command where -XX:+DisableExplicitGC ignores System.gc(). */
    private static String collect(HotSpotDiagnosticMXBean hs) {
        if (!Boolean.parseBoolean(hs.getVMOption("DisableExplicitGC").getValue())) {
            System.gc();
            return "System.gc()";
        }
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcRun",
                new Object[] {null}, new String[] {String[].class.getName()});
            return "jcmd GC.run (System.gc() is disabled by -XX:+DisableExplicitGC)";
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("cannot collect the heap: -XX:+DisableExplicitGC is set and the diagnostic "
                + "command GC.run failed (" + e + "); checkpoint with --no-shrink", e);
        }
    }

    /** Puts the free ratios back as they were before {@link #run} (after the checkpoint); idempotent. */
    static void restoreRatios() {
        String[] saved;
        synchronized (HeapShrink.class) {
            saved = savedRatios;
            savedRatios = null;
        }
        if (saved != null) {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            hs.setVMOption("MaxHeapFreeRatio", saved[1]); // first: Min <= Max at every step
            hs.setVMOption("MinHeapFreeRatio", saved[0]);
        }
    }

    /** A figure of this process that may take I/O to read. */
    private interface Measure {
        long read() throws IOException;
    }

    /**
     * Waits until {@code measure} has not fallen below its lowest value by more than {@code drop} for
     * {@code stillMillis}, or {@code limitMillis} have passed; looks every {@code stepMillis}.
     */
    private static void awaitStopsFalling(Measure measure, long stepMillis, long drop, long stillMillis,
                                          long limitMillis) throws IOException {
        long end = System.nanoTime() + limitMillis * 1_000_000L;
        long lowest = measure.read();
        long stillSince = System.nanoTime();
        while (System.nanoTime() - end < 0 && System.nanoTime() - stillSince < stillMillis * 1_000_000L) {
            try {
                Thread.sleep(stepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = measure.read();
            if (now < lowest - drop) {
                stillSince = System.nanoTime();
            }
            lowest = Math.min(lowest, now);
        }
    }

    private static boolean flag(HotSpotDiagnosticMXBean hs, String name) {
        try {
            return Boolean.parseBoolean(hs.getVMOption(name).getValue());
        } catch (IllegalArgumentException absent) {
            return false;
        }
    }

    /** ZUncommitDelay in seconds; Long.MAX_VALUE when ZGC does not uncommit (-XX:-ZUncommit, or -Xms = -Xmx). */
    private static long zgcUncommitDelay(HotSpotDiagnosticMXBean hs) {
        if (!flag(hs, "ZUncommit")) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(hs.getVMOption("ZUncommitDelay").getValue());
        } catch (IllegalArgumentException absent) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * ZGC uncommits on its own thread, memory unused for {@code delaySeconds}: waits that long, then
     * until the committed heap stops falling for half a second, or {@link #ZGC_WAIT_MILLIS} more.
     */
    private static void awaitUncommit(long delaySeconds) throws IOException {
        try {
            Thread.sleep(delaySeconds * 1000 + 200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        awaitStopsFalling(HeapShrink::committed, 50, 0, 500, ZGC_WAIT_MILLIS);
    }

    static String collector() {
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        for (GarbageCollectorMXBean gc : gcs) {
            String n = gc.getName();
            if (n.startsWith("G1")) {
                return "G1";
            } else if (n.startsWith("PS ")) {
                return "Parallel";
            } else if (n.startsWith("ZGC")) {
                return "ZGC";
            } else if (n.startsWith("Shenandoah")) {
                return "Shenandoah";
            } else if (n.equals("Copy") || n.equals("MarkSweepCompact")) {
                return "Serial";
            } else if (n.startsWith("Epsilon")) {
                return "Epsilon";
            }
        }
        return gcs.isEmpty() ? "Epsilon" : gcs.get(0).getName();
    }

    private static long committed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /** Resident memory of the process in bytes (VmRSS in /proc/self/status). */
    static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
            }
        }
        return -1;
    }
}
