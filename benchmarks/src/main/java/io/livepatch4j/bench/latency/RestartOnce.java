package io.livepatch4j.bench.latency;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The restart scenario: at one moment, SIGTERM the v1 JVM (Jetty finishes the requests in flight)
 * and start a v2 JVM on the same port, which fills the same data at start. Requests due while no
 * server listens fail: the honest cost of a restart (the client does not retry). The new JVM then
 * serves with a cold JIT, which shows in the rest of the period too.
 */
final class RestartOnce implements Disruptor {

    private final ServerJvm jvms;
    private final AtomicReference<ServerJvm.Running> server;
    private final Path v2Jar;
    private final long atOffsetNanos;
    private final String tag;

    RestartOnce(ServerJvm jvms, AtomicReference<ServerJvm.Running> server, Path v2Jar, long atOffsetNanos,
                String tag) {
        this.jvms = jvms;
        this.server = server;
        this.v2Jar = v2Jar;
        this.atOffsetNanos = atOffsetNanos;
        this.tag = tag;
    }

    @Override
    public List<Disruption> run(long fromNanos, long untilNanos) throws Exception {
        Pause.until(fromNanos + atOffsetNanos);
        ServerJvm.Running old = server.get();
        long start = System.nanoTime();
        old.stop();
        long stopped = System.nanoTime();
        ServerJvm.Running next = jvms.startChild(v2Jar, old.port(), tag + "-v2");
        long ready = System.nanoTime();
        server.set(next);
        Disruption d = new Disruption(Disruption.RESTART, Disruption.Outcome.DONE, start, stopped, ready, -1,
                Double.NaN, String.format(Locale.ROOT,
                        "v1 stopped (SIGTERM, graceful) in %.0f ms; v2 started and READY %.0f ms later",
                        (stopped - start) / 1e6, (ready - stopped) / 1e6));
        Pause.until(untilNanos);
        return List.of(d);
    }
}
