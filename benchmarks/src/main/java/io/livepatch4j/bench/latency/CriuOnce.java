package io.livepatch4j.bench.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The criu scenario: at one moment, {@code lp4j-native checkpoint --tcp-established} freezes the
 * server, writes its state and kills it; {@code lp4j-native restore} brings the same process back
 * with its heap and its connections to the load. Requests wait (their connections are locked) or
 * fail (a new connection finds no listener) in between. The images go to a temporary directory,
 * removed after the load stopped so the deletion's I/O falls outside the measured period.
 */
final class CriuOnce implements Disruptor {

    private final NativeTool lp4jNative;
    private final ServerJvm.Running server;
    private final long atOffsetNanos;
    private Path images;

    CriuOnce(NativeTool lp4jNative, ServerJvm.Running server, long atOffsetNanos) {
        this.lp4jNative = lp4jNative;
        this.server = server;
        this.atOffsetNanos = atOffsetNanos;
    }

    @Override
    public List<Disruption> run(long fromNanos, long untilNanos) throws Exception {
        images = Files.createTempDirectory("lp4j-latency-criu");
        Pause.until(fromNanos + atOffsetNanos);
        long start = System.nanoTime();
        NativeTool.Result ck = lp4jNative.run(300, "checkpoint", "--pid", String.valueOf(server.pid()),
                "--dir", images.toString(), "--tcp-established");
        long dumped = System.nanoTime();
        Disruption d;
        if (ck.exit() != 0) {
            d = new Disruption(Disruption.CHECKPOINT_RESTORE, Disruption.Outcome.FAILED, start, dumped,
                    dumped, -1, Double.NaN, "checkpoint failed: " + ck.reason());
        } else {
            NativeTool.Result rs = lp4jNative.run(300, "restore", "--dir", images.toString());
            long restored = System.nanoTime();
            String figures = String.format(Locale.ROOT,
                    "frozen %.0f ms, dump %.0f ms, image %.0f MiB; restore %.0f ms "
                            + "(CRIU's own %.0f ms)",
                    ck.millis("frozen_ms"), ck.millis("dump_ms"), ck.millis("image_bytes") / (1 << 20),
                    rs.millis("restore_ms"), rs.millis("criu_restore_ms"));
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
