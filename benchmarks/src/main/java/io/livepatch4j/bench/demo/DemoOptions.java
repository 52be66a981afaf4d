package io.livepatch4j.bench.demo;

import java.nio.file.Path;

/** The demo's settings, from its command line (scripts/demo passes its arguments through). */
record DemoOptions(double durationSeconds, double applyAtSeconds, double warmupSeconds, double rate, int keys,
                   int serverThreads, int reportPasses, double reportShare, double probeShare, double putShare,
                   boolean attach, Path out, Path agentJar, Path lp4jJar, Path v1Jar, Path v2Jar) {

    static DemoOptions parse(String[] args) {
        double duration = 40;
        Double applyAt = null;
        Double warmup = null;
        double rate = 300;
        int keys = 100_000;
        int threads = 32;
        int passes = 3;
        double reportShare = 0.01;
        double probeShare = 0.02;
        double putShare = 0.10;
        boolean attach = false;
        Path out = Path.of("results", "demo");
        Path agent = Path.of("patch-compiler", "target", "livepatch4j-agent.jar");
        Path lp4j = Path.of("patch-compiler", "target", "lp4j.jar");
        Path v1 = Path.of("demo-server", "target", "demo-server-v1.jar");
        Path v2 = Path.of("demo-server", "target", "demo-server-v2.jar");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--duration" -> duration = Double.parseDouble(value(args, ++i, a));
                case "--apply-at" -> applyAt = Double.parseDouble(value(args, ++i, a));
                case "--warmup" -> warmup = Double.parseDouble(value(args, ++i, a));
                case "--rate" -> rate = Double.parseDouble(value(args, ++i, a));
                case "--keys" -> keys = Integer.parseInt(value(args, ++i, a));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--report-passes" -> passes = Integer.parseInt(value(args, ++i, a));
                case "--report-share" -> reportShare = Double.parseDouble(value(args, ++i, a));
                case "--attach" -> attach = true;
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--agent-jar" -> agent = Path.of(value(args, ++i, a));
                case "--lp4j-jar" -> lp4j = Path.of(value(args, ++i, a));
                case "--v1" -> v1 = Path.of(value(args, ++i, a));
                case "--v2" -> v2 = Path.of(value(args, ++i, a));
                case "--help", "-h" -> throw new IllegalArgumentException(usage());
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        double at = applyAt != null ? applyAt : duration / 3;
        double w = warmup != null ? warmup : Math.min(5, at / 2);
        if (at <= w || at >= duration - 1) {
            throw new IllegalArgumentException("--apply-at must be after the warm-up (" + w + " s) and at least 1 s before "
                + "the end (" + duration + " s)");
        }
        return new DemoOptions(duration, at, w, rate, keys, threads, passes, reportShare, probeShare, putShare, attach, out,
            agent, lp4j, v1, v2);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + usage());
        }
        return args[i];
    }

    static String usage() {
        return """
            usage: scripts/demo [--duration S] [--apply-at S] [--rate RPS] [--keys N] [--threads N]
                                [--report-passes N] [--report-share F] [--attach] [--out DIR]
              --duration S      length of the load (default 40)
              --apply-at S      when the patch is applied (default a third of the way)
              --rate RPS        open-loop request rate (default 300)
              --keys N          keys in the server's store (default 100000)
              --threads N       the server's worker threads (default 32)
              --report-passes N passes of each long /report request (default 3, about 90 ms)
              --report-share F  fraction of requests that are /report (default 0.01)
              --attach          start the server without the agent; lp4j apply attaches it
              --out DIR         where the report goes (default results/demo)""";
    }
}
