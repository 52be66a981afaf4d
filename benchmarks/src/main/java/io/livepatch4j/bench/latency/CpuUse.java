package io.livepatch4j.bench.latency;

/**
 * Where the CPU went during one measured period, each in percent of one CPU (the machine has two):
 * the server JVM and its JIT compiler threads (deoptimized code compiled again after a patch), the
 * harness that drives the load, other processes at normal priority (interference that makes a run
 * worth repeating), niced ones (which yield the CPUs to the server), and the whole machine.
 * {@code server} and {@code jit} are NaN where the server JVM was replaced (restart, criu).
 */
record CpuUse(double server, double jit, double driver, double other, double niced, double busy) {

    static final CpuUse UNKNOWN =
            new CpuUse(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
