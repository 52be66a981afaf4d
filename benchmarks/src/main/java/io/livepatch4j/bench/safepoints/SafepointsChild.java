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

    public static void main(String[] args) throws Exception {
        String strategy = "local";
        int reps = 20;
        boolean attach = false;
        boolean loadAfterAttach = false;
        long warmupMillis = 2000;
        long gapMillis = 50;
        int threads = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--strategy" -> strategy = args[++i];
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--attach" -> attach = true;
                case "--load-after-attach" -> loadAfterAttach = true;
                case "--warmup-ms" -> warmupMillis = Long.parseLong(args[++i]);
                case "--gap-ms" -> gapMillis = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
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
