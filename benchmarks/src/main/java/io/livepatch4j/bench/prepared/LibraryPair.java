package io.livepatch4j.bench.prepared;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One pair of fresh JVMs running a library workload, one without the agent and one with it: both
 * warm up at once, then they take turns, half a second each (none, agent, agent, none, ...), so that
 * whatever else the shared machine does in a second falls on both. The pair's cost is the median
 * over adjacent slices of the agent's over the plain JVM's thread CPU time per operation.
 */
final class LibraryPair {

    static final long SLICE_NANOS = 500_000_000L;

    private final Workloads workload;
    private final double warmupSeconds;
    private final double measureSeconds;

    LibraryPair(Workloads workload, double warmupSeconds, double measureSeconds) {
        this.workload = workload;
        this.warmupSeconds = warmupSeconds;
        this.measureSeconds = measureSeconds;
    }

    /** One slice of one JVM. */
    record Slice(long ops, long wallNanos, long cpuNanos, long allocated) {

        double cpuMicrosPerOp() {
            return cpuNanos / 1e3 / ops;
        }

        double wallMicrosPerOp() {
            return wallNanos / 1e3 / ops;
        }
    }

    PairResult run(int pair, List<String> noneFlags, List<String> agentFlags, Path logs) throws Exception {
        String name = workload.id + "-" + pair;
        try (Child none = Child.start(noneFlags, workload.id, warmupSeconds, logs.resolve(name + "-none.log"));
             Child agent = Child.start(agentFlags, workload.id, warmupSeconds, logs.resolve(name + "-agent.log"))) {
            long timeout = (long) (3 * warmupSeconds) + 120;
            Map<String, String> readyNone = none.ready.get(timeout, TimeUnit.SECONDS);
            Map<String, String> readyAgent = agent.ready.get(timeout, TimeUnit.SECONDS);
            int slices = (int) Math.max(2, Math.round(measureSeconds * 1e9 / SLICE_NANOS));
            long[] ticks0 = {MachineCpu.busyTicks(), MachineCpu.processTicks(none.process.pid()),
                MachineCpu.processTicks(agent.process.pid()), MachineCpu.processTicks(ProcessHandle.current().pid())};
            long t0 = System.nanoTime();
            List<Slice> sn = new ArrayList<>();
            List<Slice> sa = new ArrayList<>();
            // none first in even pairs and agent first in odd ones, then alternating: ABBA ABBA ...
            boolean agentNext = pair % 2 == 1;
            for (int k = 0; k < 2 * slices; k++) {
                if (agentNext) {
                    sa.add(agent.slice(SLICE_NANOS));
                } else {
                    sn.add(none.slice(SLICE_NANOS));
                }
                if (k % 2 == 0) {
                    agentNext = !agentNext;
                }
            }
            double others = MachineCpu.otherPercent(MachineCpu.busyTicks() - ticks0[0],
                MachineCpu.processTicks(none.process.pid()) - ticks0[1] + MachineCpu.processTicks(agent.process.pid()) - ticks0[2]
                    + MachineCpu.processTicks(ProcessHandle.current().pid()) - ticks0[3], System.nanoTime() - t0);
            Map<String, String> resultNone = none.end();
            Map<String, String> resultAgent = agent.end();
            List<Double> cpu = new ArrayList<>();
            List<Double> wall = new ArrayList<>();
            for (int k = 0; k < slices; k++) {
                cpu.add(Math.log(sa.get(k).cpuMicrosPerOp() / sn.get(k).cpuMicrosPerOp()));
                wall.add(Math.log(sa.get(k).wallMicrosPerOp() / sn.get(k).wallMicrosPerOp()));
            }
            return new PairResult(workload.id, pair, summary(sn, readyNone, resultNone, others),
                summary(sa, readyAgent, resultAgent, others),
                Math.exp(Report.median(cpu)), Math.exp(Report.median(wall)));
        }
    }

    private static Map<String, String> summary(List<Slice> slices, Map<String, String> ready, Map<String, String> result,
                                               double others) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cost", fmt(Report.median(slices.stream().map(Slice::cpuMicrosPerOp).toList())));
        m.put("throughput_per_s", fmt(1e6 / Report.median(slices.stream().map(Slice::wallMicrosPerOp).toList())));
        m.put("warmup_s", ready.get("warmup_s"));
        for (String k : List.of("alloc_per_op", "gc_ms", "compile_ms", "code_cache_kb", "classes")) {
            m.put(k, result.get(k));
        }
        m.put("other_cpu_pct", String.format(Locale.ROOT, "%.1f", others));
        m.put("checksum", ready.get("checksum"));
        return m;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A measured JVM, driven through its stdin and stdout; its output is copied to a log. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final PrintWriter in;
        final PrintWriter log;
        final Path logPath;
        final CompletableFuture<Map<String, String>> ready = new CompletableFuture<>();

        private Child(Process process, Path logPath) throws IOException {
            this.process = process;
            this.logPath = logPath;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.log = new PrintWriter(Files.newBufferedWriter(logPath), true);
        }

        static Child start(List<String> flags, String workload, double warmupSeconds, Path logPath) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(flags);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkloadMain.class.getName(), workload,
                Double.toString(warmupSeconds)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Child c = new Child(p, logPath);
            c.log.println(String.join(" ", cmd));
            Thread waiter = new Thread(() -> {
                try {
                    c.ready.complete(c.expect("READY"));
                } catch (Exception e) {
                    c.ready.completeExceptionally(e);
                }
            }, "await-" + logPath.getFileName());
            waiter.setDaemon(true);
            waiter.start();
            return c;
        }

        /** Reads output (logging it) up to the line that starts with {@code tag}; its key=value pairs. */
        Map<String, String> expect(String tag) throws IOException {
            for (String line; (line = out.readLine()) != null;) {
                log.println(line);
                if (line.startsWith(tag + " ")) {
                    Map<String, String> kv = new LinkedHashMap<>();
                    for (String f : line.substring(tag.length()).trim().split(" ")) {
                        int eq = f.indexOf('=');
                        kv.put(f.substring(0, eq), f.substring(eq + 1));
                    }
                    return kv;
                }
            }
            throw new IOException("the measured JVM ended before " + tag + "; see " + logPath);
        }

        Slice slice(long nanos) throws IOException {
            in.println("RUN " + nanos);
            Map<String, String> s = expect("SLICE");
            return new Slice(Long.parseLong(s.get("ops")), Long.parseLong(s.get("wall_ns")), Long.parseLong(s.get("cpu_ns")),
                Long.parseLong(s.get("alloc")));
        }

        Map<String, String> end() throws IOException {
            in.println("END");
            return expect("RESULT");
        }

        @Override
        public void close() throws InterruptedException {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            try {
                for (String line; (line = out.readLine()) != null;) {
                    log.println(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            log.close();
        }
    }
}
