package io.livepatch4j.bench.latency;

import com.google.gson.JsonObject;
import io.livepatch4j.control.ControlClient;

import java.io.IOException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The criu and criu-jvm scenarios: at one moment, {@code lp4j-native checkpoint --tcp-established}
 * freezes the server, writes its state and kills it; {@code lp4j-native restore} brings the same
 * process back with its heap and its connections to the load. Requests wait (their connections are
 * locked) or fail (a new connection finds no listener) in between. criu-jvm does what
 * {@code lp4j checkpoint} does first: the agent notifies the Resources, collects the heap and gives
 * its free part back, parks its socket (the server serves meanwhile); and it restores with
 * {@code --lazy-pages} where the kernel allows it. The images go to a temporary directory, removed
 * after the load stopped so the deletion's I/O falls outside the measured period.
 */
final class CriuOnce implements Disruptor {

    private final NativeTool lp4jNative;
    private final ServerJvm.Running server;
    private final long atOffsetNanos;
    private final boolean jvmAware;
    private Path images;

    CriuOnce(NativeTool lp4jNative, ServerJvm.Running server, long atOffsetNanos, boolean jvmAware) {
        this.lp4jNative = lp4jNative;
        this.server = server;
        this.atOffsetNanos = atOffsetNanos;
        this.jvmAware = jvmAware;
    }

    @Override
    public List<Disruption> run(long fromNanos, long untilNanos) throws Exception {
        images = Files.createTempDirectory("lp4j-latency-criu");
        boolean lazy = jvmAware && "yes".equals(lp4jNative.run(60, "criu-check").values().get("lazy_pages"));
        Pause.until(fromNanos + atOffsetNanos);
        long start = System.nanoTime();
        String prepared = "";
        ControlClient agent = null;
        if (jvmAware) {
            agent = ControlClient.of(server.pid(), Duration.ofMinutes(1));
            ControlClient.Answer a = agent.checkpointPrepare(true, 60_000);
            if (!a.ok()) {
                long now = System.nanoTime();
                Pause.until(untilNanos);
                return List.of(new Disruption(Disruption.CHECKPOINT_RESTORE, Disruption.Outcome.FAILED, start, now,
                    now, -1, Double.NaN, "the agent refused the checkpoint: " + a.message()));
            }
            JsonObject shrink = a.result().getAsJsonObject().getAsJsonObject("shrink");
            prepared = String.format(Locale.ROOT, "prepared in %.0f ms (heap %d -> %d MiB, GC %.0f ms); ",
                (System.nanoTime() - start) / 1e6, shrink.get("committedBefore").getAsLong() >> 20,
                shrink.get("committedAfter").getAsLong() >> 20, shrink.get("gcMillis").getAsDouble());
        }
        NativeTool.Result ck = lp4jNative.run(300, "checkpoint", "--pid", String.valueOf(server.pid()),
                "--dir", images.toString(), "--tcp-established");
        long dumped = System.nanoTime();
        Disruption d;
        if (ck.exit() != 0) {
            if (agent != null) {
                agent.resume();
            }
            d = new Disruption(Disruption.CHECKPOINT_RESTORE, Disruption.Outcome.FAILED, start, dumped,
                    dumped, -1, Double.NaN, "checkpoint failed: " + ck.reason());
        } else {
            NativeTool.Result rs = lazy ? lp4jNative.run(300, "restore", "--dir", images.toString(), "--lazy-pages")
                : lp4jNative.run(300, "restore", "--dir", images.toString());
            long restored = System.nanoTime();
            String figures = String.format(Locale.ROOT,
                    "%sfrozen %.0f ms, dump %.0f ms, image %.0f MiB; %srestore %.0f ms "
                            + "(CRIU's own %.0f ms)",
                    prepared, ck.millis("frozen_ms"), ck.millis("dump_ms"), ck.millis("image_bytes") / (1 << 20),
                    lazy ? "lazy " : "", rs.millis("restore_ms"), rs.millis("criu_restore_ms"));
            d = new Disruption(Disruption.CHECKPOINT_RESTORE, rs.exit() == 0 ? Disruption.Outcome.DONE
                : Disruption.Outcome.FAILED, start, dumped, restored, -1, Double.NaN,
                rs.exit() == 0 ? figures : "restore failed: " + rs.reason() + "; " + figures);
        }
        Pause.until(untilNanos);
        return List.of(d);
    }

    @Override
    public List<Disruption> finish(List<Disruption> done) throws IOException {
        if (images != null) {
            try (Stream<Path> files = Files.walk(images)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return done;
    }
}
