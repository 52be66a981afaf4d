package io.livepatch4j.bench.safepoints;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of the safepoint benchmark: starts the load, lets the JIT compile it, then applies
 * and rolls back the patch in timed windows (see {@link PatchCycles}) while HotSpot logs every
 * safepoint and handshake. Talks to {@link SafepointsMain} over stdio: prints {@code READY}, in
 * attach mode waits for {@code GO} on stdin (the parent has loaded the agent), prints one
 * {@code WINDOW} line per window and {@code DONE} at the end.
 *
 * <pre>
 * SafepointsChild --strategy local|global|redefine --reps N [--attach [--load-after-attach]]
 *                 [--threads T] [--warmup-ms M] [--gap-ms G]
 * </pre>
 */
public final class SafepointsChild {

    private SafepointsChild() {}

    /** The agent's strategies, in its words. */
    enum StrategyWord { LOCAL, GLOBAL, REDEFINE }

    @picocli.CommandLine.Command(name = "SafepointsChild", mixinStandardHelpOptions = true,
        description = "SafepointsMain's child: a load, and a patch applied and rolled back in timed windows.")
    static final class Options {
        @picocli.CommandLine.Option(names = "--strategy", defaultValue = "local",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        StrategyWord strategy;

        @picocli.CommandLine.Option(names = "--reps", paramLabel = "N", defaultValue = "20",
            description = "applies and rollbacks after the first (default: ${DEFAULT-VALUE})")
        int reps;

        @picocli.CommandLine.Option(names = "--attach", description = "wait for GO on stdin: the parent loads the agent")
        boolean attach;

        @picocli.CommandLine.Option(names = "--load-after-attach", description = "start the load after the agent is loaded")
        boolean loadAfterAttach;

        @picocli.CommandLine.Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "2000",
            description = "milliseconds for the JIT to compile the load (default: ${DEFAULT-VALUE})")
        long warmupMillis;

        @picocli.CommandLine.Option(names = "--gap-ms", paramLabel = "MS", defaultValue = "50",
            description = "milliseconds between windows (default: ${DEFAULT-VALUE})")
        long gapMillis;

        @picocli.CommandLine.Option(names = "--threads", paramLabel = "T", defaultValue = "3",
            description = "load threads (default: ${DEFAULT-VALUE})")
        int threads;
    }

    public static void main(String[] args) throws Exception {
        Options o = io.livepatch4j.bench.MainOptions.parseOrExit(new Options(), args);
        String strategy = o.strategy.name().toLowerCase(java.util.Locale.ROOT);
        int reps = o.reps;
        boolean attach = o.attach;
        boolean loadAfterAttach = o.loadAfterAttach;
        long warmupMillis = o.warmupMillis;
        long gapMillis = o.gapMillis;
        int threads = o.threads;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Load load = loadAfterAttach ? null : Load.start(threads);
        Thread.sleep(warmupMillis); // the JIT compiles the load, so a patch has compiled code to deoptimize
        out.println("READY pid=" + ProcessHandle.current().pid() + " jdk="
            + System.getProperty("java.vm.name").replace(' ', '_') + "_" + System.getProperty("java.vm.version"));
        if (attach) {
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO from the parent after it loaded the agent, got " + go);
            }
        }
        if (load == null) {
            load = Load.start(threads);
            Thread.sleep(warmupMillis);
        }
        PatchCycles cycles = new PatchCycles(load, strategy, gapMillis, out);
        out.println("UNITS " + cycles.unitKindOfLoad());
        long begin = System.nanoTime();
        cycles.run(reps);
        long end = System.nanoTime();
        out.println(new Window(Window.RUN, 0, begin, end).line());
        load.stop();
        out.println("DONE units=" + load.units() + " mixed=" + load.mixed());
    }
}
