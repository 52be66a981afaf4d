package io.livepatch4j.bench.bigpatch;

import io.livepatch4j.bench.latency.OtherCpu;
import io.livepatch4j.bench.latency.QuietMachine;
import io.livepatch4j.bench.safepoints.SafepointLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Issue 17, "big patches": what applying a patch of 1, 10, 100 and 300+ classes of a real release
 * pair (Guava) costs a JVM under load in prepared mode, and what a big patch that is refused leaves
 * behind. For each size, one fresh workload JVM ({@link GuavaWorkload}) takes the patch and its
 * rollback {@code --reps} times in a row; each refused patch gets a fresh JVM too. Each lp4j run is
 * timed from outside and matched with the workload's safepoint log and 100 ms ticks (see
 * {@link WindowFigures}); Metaspace and class counts are read after two full GCs before and after.
 * Prints the tables and writes big-patches.md and big-patches-jdkN.csv to --out.
 *
 * <pre>
 * java -cp ... io.livepatch4j.bench.bigpatch.BigPatchBench --java /path/to/java [--quick] [--reps N]
 *      [--agent-jar JAR] [--lp4j-jar JAR] [--guava-dir DIR] [--out DIR] [--logs DIR]
 * </pre>
 */
public final class BigPatchBench {

    /** The sizes, in classes; {@link #ALL}: every class the pair's patch can carry. */
    static final int ALL = Integer.MAX_VALUE;

    @Command(name = "BigPatchBench", mixinStandardHelpOptions = true,
        description = "Applies, rolls back and has refused patches of 1 to 300+ Guava classes in a JVM under load.")
    static final class Options {
        @Option(names = "--java", paramLabel = "JAVA", description = "the java of the workload JVMs and of lp4j "
            + "(default: this JVM's)")
        String java;

        @Option(names = "--agent-jar", paramLabel = "JAR", defaultValue = "agent/target/livepatch4j-agent-0.1.0.jar",
            description = "the agent (default: ${DEFAULT-VALUE})")
        Path agentJar;

        @Option(names = "--lp4j-jar", paramLabel = "JAR", defaultValue = "patch-compiler/target/lp4j.jar",
            description = "lp4j (default: ${DEFAULT-VALUE})")
        Path lp4jJar;

        @Option(names = "--guava-dir", paramLabel = "DIR", defaultValue = "benchmarks/target/guava",
            description = "the Guava jars, under their Maven names (default: ${DEFAULT-VALUE})")
        Path guavaDir;

        @Option(names = "--old", defaultValue = "31.1-jre", description = "the release the workload runs (default: ${DEFAULT-VALUE})")
        String old;

        @Option(names = "--new", defaultValue = "32.0.0-jre", description = "the release patched in (default: ${DEFAULT-VALUE})")
        String neu;

        @Option(names = "--other-base", defaultValue = "31.0.1-jre", description = "the release the refused patch is "
            + "built against (default: ${DEFAULT-VALUE})")
        String otherBase;

        @Option(names = "--failureaccess", defaultValue = "failureaccess-1.0.1.jar", description = "the old release's "
            + "dependency, in --guava-dir (default: ${DEFAULT-VALUE})")
        String failureaccess;

        @Option(names = "--quick", description = "a smoke run: sizes 1 and 10, one apply each, the refused patches of "
            + "the 10 classes, shorter waits")
        boolean quick;

        @Option(names = "--reps", paramLabel = "N", description = "applies and rollbacks per size, and attempts per "
            + "refused patch, in one JVM (default: 3 and 2; --quick 1)")
        Integer reps;

        @Option(names = "--out", paramLabel = "DIR", description = "where big-patches.md and the CSV go (default: none)")
        Path out;

        @Option(names = "--logs", paramLabel = "DIR", defaultValue = "benchmarks/target/bench-big-patches",
            description = "the workload JVMs' logs and the patches (default: ${DEFAULT-VALUE})")
        Path logs;
    }

    /**
     * The pauses of one run: at most {@code quietWaitMillis} waiting for the shared machine to be
     * nearly idle before each workload JVM starts; warm-up before the first snapshot; the seconds of
     * load alone before each lp4j run (its baseline); after it, until throughput is back to 90% of
     * the baseline (at most {@code recoveryMaxMillis}), then {@code settleMillis} more.
     */
    record Pacing(long quietWaitMillis, long warmupMillis, long beforeMillis, long recoveryMaxMillis, long settleMillis) {
    }

    private BigPatchBench() {}

    public static void main(String[] args) throws Exception {
        Options o = io.livepatch4j.bench.MainOptions.parseOrExit(new Options(), args);
        String java = o.java != null ? o.java : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int reps = o.reps != null ? o.reps : o.quick ? 1 : 3;
        int refusedReps = o.reps != null ? o.reps : o.quick ? 1 : 2;
        Pacing pacing = o.quick ? new Pacing(0, 5000, 1500, 5000, 1000) : new Pacing(20_000, 8000, 2000, 15_000, 1000);
        for (Path p : List.of(o.agentJar, o.lp4jJar)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no " + p + ": build with 'mvn -o package -DskipTests -pl benchmarks -am'");
            }
        }
        String oldJar = guava(o, o.old);
        String newJar = guava(o, o.neu);
        String otherJar = guava(o, o.otherBase);
        Path failureaccess = o.guavaDir.resolve(o.failureaccess);
        int feature = io.livepatch4j.bench.safepoints.SafepointsMain.featureVersion(java);
        Path logs = o.logs.resolve("jdk" + feature).toAbsolutePath();
        Files.createDirectories(logs);
        Path counterJar = counterJar(logs);
        Lp4jCli lp4j = new Lp4jCli(java, o.lp4jJar, logs.resolve("tmp"));
        PatchBuilds builds = new PatchBuilds(lp4j, logs.resolve("patches"));
        List<Path> classPath = List.of(Path.of(BigPatchBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
            Path.of(oldJar), failureaccess);
        Run run = new Run(java, o.agentJar, counterJar, classPath, lp4j, logs, pacing);

        step("patchable classes of Guava " + o.old + " -> " + o.neu + " (lp4j build --dry-run, leaving out what it refuses"
            + (o.quick ? ", unchecked)" : ")"));
        // --quick builds only patches of 1 and 10 classes, which check their own selection
        List<String> patchable = builds.patchable(oldJar, newJar, o.quick ? 0 : 8);
        System.out.println(patchable.size() + " classes");

        List<String> preferred = new ArrayList<>(WorkloadJvm.CALLED);
        if (!o.quick) {
            step("the classes the workload loads (a JVM of its own, " + pacing.warmupMillis() / 1000 + " s)");
            try (WorkloadJvm w = run.start("census")) {
                Thread.sleep(pacing.warmupMillis());
                List<String> loaded = w.loadedGuavaClasses();
                preferred.addAll(loaded);
                System.out.println(loaded.size() + " Guava classes loaded, "
                    + loaded.stream().filter(patchable::contains).count() + " of them in the patchable set");
            }
        }

        step("patches");
        List<Integer> sizes = o.quick ? List.of(1, 10) : List.of(1, 10, 100, ALL);
        List<PatchBuilds.Patch> patches = new ArrayList<>();
        for (int n : sizes) {
            PatchBuilds.Patch p = n == ALL ? builds.exactly("all", oldJar, newJar, patchable)
                : builds.subset(String.valueOf(n), oldJar, newJar, patchable, preferred, n);
            patches.add(p);
            System.out.printf(Locale.ROOT, "%-4s %3d classes (%d added), built in %.1f s%n", p.name(), p.classes(), p.added(),
                p.buildMillis() / 1e3);
        }
        List<String> bigSelection = patches.get(patches.size() - 1).only();
        PatchBuilds.Patch otherBase = builds.exactly("other-base", otherJar, newJar, bigSelection);
        Path hooks = VetoHooks.writeInto(logs.resolve("veto-hooks"));
        PatchBuilds.Patch veto = builds.exactly("veto", oldJar, newJar + File.pathSeparator + hooks, bigSelection);
        System.out.printf(Locale.ROOT, "refused (a): %d classes built against %s; refused (b): %d classes and a vetoing "
            + "pre-apply callback%n", otherBase.classes(), o.otherBase, veto.classes());

        BigPatchReport report = new BigPatchReport("JDK " + feature, o.old, o.neu, o.otherBase, reps, refusedReps, pacing);
        for (PatchBuilds.Patch p : patches) {
            step("apply and roll back " + p.classes() + " classes, " + reps + " time(s), one JVM");
            report.addAll(run.applyAndRollBack(p, reps));
        }
        step("refused (a): built against " + o.otherBase + ", " + refusedReps + " attempt(s)");
        PatchBuilds.Patch prime = patches.get(0);
        report.addAll(run.refused("refused-other-base", otherBase, refusedReps, prime));
        step("refused (b): vetoed by its pre-apply callback, " + refusedReps + " attempt(s)");
        report.addAll(run.refused("refused-veto", veto, refusedReps, prime));

        String md = report.markdown();
        System.out.println();
        System.out.println(md);
        if (o.out != null) {
            Files.createDirectories(o.out);
            Files.writeString(o.out.resolve("big-patches-jdk" + feature + ".md"), md);
            Files.writeString(o.out.resolve("big-patches-jdk" + feature + ".csv"), report.csv());
        }
    }

    /** The workload JVMs of one JDK, and how each lp4j run in them is timed and matched. */
    private record Run(String java, Path agentJar, Path counterJar, List<Path> classPath, Lp4jCli lp4j, Path logs,
                       Pacing pacing) {

        WorkloadJvm start(String tag) throws IOException, InterruptedException {
            if (pacing.quietWaitMillis() > 0) {
                double waited = QuietMachine.awaitIdle(pacing.quietWaitMillis() * 1_000_000L);
                if (waited >= 1.5) {
                    System.out.printf(Locale.ROOT, "  (waited %.0f s for other processes to take less than %.0f%% of a CPU)%n",
                        waited, QuietMachine.IDLE_BELOW_PCT);
                }
            }
            return WorkloadJvm.start(java, classPath, agentJar, counterJar, logs, tag);
        }

        /** One JVM: warm-up, then {@code reps} times apply, hold, roll back, hold; then lp4j status as a control. */
        List<BigPatchReport.Op> applyAndRollBack(PatchBuilds.Patch patch, int reps) throws Exception {
            List<Pending> pending = new ArrayList<>();
            String tag = "apply-" + patch.name();
            OtherCpu.Snapshot cpuStart;
            WorkloadJvm.Snapshot first;
            List<WorkloadJvm.Tick> ticks;
            Path log;
            long pid;
            String jdk;
            try (WorkloadJvm w = start(tag)) {
                pid = w.pid();
                jdk = w.jdk();
                Thread.sleep(pacing.warmupMillis());
                cpuStart = OtherCpu.take();
                first = w.snapshot("before");
                WorkloadJvm.Snapshot before = first;
                for (int rep = 1; rep <= reps; rep++) {
                    Pending apply = timed(w, "apply", rep, before, List.of("apply", "--pid", String.valueOf(w.pid()),
                        "--wait", "--timeout=300", "--json", patch.file().toString()));
                    pending.add(apply);
                    Pending rollback = timed(w, "rollback", rep, apply.after(), List.of("rollback", "--pid",
                        String.valueOf(w.pid()), "--wait", "--timeout=300", "--json"));
                    pending.add(rollback);
                    before = rollback.after();
                }
                pending.add(timed(w, "status", 1, before, List.of("status", "--pid", String.valueOf(w.pid()), "--json")));
                ticks = w.ticks();
                log = w.safepointLog();
            }
            return finish(pending, "apply", patch, jdk, pid, first, ticks, log, cpuStart);
        }

        /**
         * One JVM: warm-up, the {@code prime} patch applied and rolled back (so that the agent's own
         * classes, which it loads on first use, are loaded before the attempts: what an attempt leaves
         * is then the refused patch's alone), then {@code attempts} times an apply that must be refused.
         */
        List<BigPatchReport.Op> refused(String tag, PatchBuilds.Patch patch, int attempts, PatchBuilds.Patch prime)
            throws Exception {
            List<Pending> pending = new ArrayList<>();
            OtherCpu.Snapshot cpuStart;
            WorkloadJvm.Snapshot first;
            List<WorkloadJvm.Tick> ticks;
            Path log;
            long pid;
            String jdk;
            try (WorkloadJvm w = start(tag)) {
                pid = w.pid();
                jdk = w.jdk();
                Thread.sleep(pacing.warmupMillis());
                cpuStart = OtherCpu.take();
                WorkloadJvm.Snapshot start = w.snapshot("start");
                Pending primed = timed(w, "prime-apply", 1, start, List.of("apply", "--pid", String.valueOf(w.pid()),
                    "--wait", "--timeout=300", "--json", prime.file().toString()));
                pending.add(primed);
                Pending unprimed = timed(w, "prime-rollback", 1, primed.after(), List.of("rollback", "--pid",
                    String.valueOf(w.pid()), "--wait", "--timeout=300", "--json"));
                pending.add(unprimed);
                first = unprimed.after();
                WorkloadJvm.Snapshot before = first;
                for (int a = 1; a <= attempts; a++) {
                    Pending p = timed(w, "apply", a, before, List.of("apply", "--pid", String.valueOf(w.pid()), "--wait",
                        "--timeout=300", "--json", patch.file().toString()));
                    pending.add(p);
                    before = p.after();
                }
                ticks = w.ticks();
                log = w.safepointLog();
            }
            return finish(pending, tag, patch, jdk, pid, first, ticks, log, cpuStart);
        }

        /**
         * The seconds before (the baseline), the lp4j run, the wait for throughput to come back and a
         * settled second, then a snapshot after two full GCs.
         */
        private Pending timed(WorkloadJvm w, String op, int rep, WorkloadJvm.Snapshot before, List<String> args)
            throws Exception {
            long baselineStart = System.nanoTime();
            Thread.sleep(pacing.beforeMillis());
            Lp4jCli.Run r = lp4j.run(args);
            double baseline = WindowFigures.rate(w.ticks(), baselineStart, r.startNanos());
            long limit = r.endNanos() + pacing.recoveryMaxMillis() * 1_000_000L;
            while (System.nanoTime() < limit
                && Double.isInfinite(WindowFigures.recoverySeconds(w.ticks(), r.endNanos(), System.nanoTime(), baseline))) {
                Thread.sleep(200);
            }
            Thread.sleep(pacing.settleMillis());
            long afterEnd = System.nanoTime();
            Files.writeString(logs.resolve(w.tag() + ".runs"), String.format(Locale.ROOT, "%s %d start=%d end=%d "
                    + "baselineStart=%d afterEnd=%d exit=%d%n", op, rep, r.startNanos(), r.endNanos(), baselineStart,
                afterEnd, r.exit()), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (!w.alive()) {
                throw new IllegalStateException("the workload JVM " + w.pid() + " died during lp4j " + op);
            }
            WorkloadJvm.Snapshot after = w.snapshot(op + "-" + rep);
            ApplyOutcome outcome = ApplyOutcome.parse(r);
            System.out.printf(Locale.ROOT, "  %-8s #%d: exit %d, %.0f ms%s%n", op, rep, r.exit(), r.wallMillis(),
                r.exit() == 0 ? "" : ": " + abbreviate(outcome.error(), 150));
            return new Pending(op, rep, r, outcome, baselineStart, afterEnd, before, after);
        }

        private List<BigPatchReport.Op> finish(List<Pending> pending, String kind, PatchBuilds.Patch patch, String jdk,
                                               long pid, WorkloadJvm.Snapshot first, List<WorkloadJvm.Tick> ticks,
                                               Path log, OtherCpu.Snapshot cpuStart) throws IOException {
            double otherCpu = OtherCpu.otherPercent(cpuStart, OtherCpu.take(), Set.of(ProcessHandle.current().pid(), pid),
                false);
            List<SafepointLog.VmOperation> ops = SafepointLog.parseAll(Files.readAllLines(log));
            List<BigPatchReport.Op> result = new ArrayList<>();
            for (Pending p : pending) {
                Lp4jCli.Run r = p.run();
                result.add(new BigPatchReport.Op("JDK " + jdk, kind, patch.name(), patch.classes(), p.rep(), p.op(), r.wallMillis(),
                    p.outcome(), WindowFigures.safepoints(ops, r.startNanos(), r.endNanos()),
                    WindowFigures.safepoints(ops, p.baselineStart(), r.startNanos()), (r.startNanos() - p.baselineStart()) / 1e9,
                    WindowFigures.throughput(ticks, p.baselineStart(), r.startNanos(), r.endNanos(), p.afterEnd()),
                    first, p.before(), p.after(), otherCpu));
            }
            return result;
        }
    }

    /** One lp4j run, before its figures can be read from the log (which is complete once the JVM ended). */
    private record Pending(String op, int rep, Lp4jCli.Run run, ApplyOutcome outcome, long baselineStart, long afterEnd,
                           WorkloadJvm.Snapshot before, WorkloadJvm.Snapshot after) {
    }

    private static String guava(Options o, String version) {
        Path p = o.guavaDir.resolve("guava-" + version + ".jar");
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no " + p.toAbsolutePath() + ": the benchmarks build copies Guava there "
                + "(mvn -o package -pl benchmarks)");
        }
        return p.toAbsolutePath().toString();
    }

    /** A jar that holds only a manifest naming {@link ClassCounter} as its premain class. */
    private static Path counterJar(Path dir) throws IOException {
        Path jar = dir.resolve("class-counter.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(new Attributes.Name("Premain-Class"), ClassCounter.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
        return jar;
    }

    static String abbreviate(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    private static void step(String what) {
        System.out.printf("%n==> %s%n", what);
    }
}
