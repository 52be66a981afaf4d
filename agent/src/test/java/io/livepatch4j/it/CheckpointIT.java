package io.livepatch4j.it;

import com.google.gson.JsonObject;
import io.livepatch4j.control.ControlClient;
import io.livepatch4j.control.ControlSockets;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's part in lp4j checkpoint, in this JVM (CRIU itself: native/tests/itest.sh): the
 * application's org.crac Resources, registered through the real org.crac facade on a stock JDK, are
 * notified in CRaC's order; the control socket is parked until lp4j says the JVM goes on; a Resource
 * that throws refuses the checkpoint and leaves the JVM as it was; the heap is collected and given back.
 */
class CheckpointIT {

    private static final long SELF = ProcessHandle.current().pid();

    /** Records its calls; throws in beforeCheckpoint if told to. */
    private static final class Recording implements Resource {
        private final String name;
        private final List<String> calls;
        /** Cleared when the test ends: the context holds Resources until they are collected, and later tests must not see them throw. */
        private volatile boolean fails;

        Recording(String name, List<String> calls, boolean fails) {
            this.name = name;
            this.calls = calls;
            this.fails = fails;
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            calls.add(name + ".before");
            if (fails) {
                throw new IllegalStateException(name + " cannot be checkpointed now");
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            calls.add(name + ".after");
        }
    }

    @Test
    void resourcesAreNotifiedInCracOrderAndTheSocketIsParkedUntilTheJvmGoesOn() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        List<Resource> held = List.of(new Recording("a", calls, false), new Recording("b", calls, false),
            new Recording("c", calls, false));
        held.forEach(r -> Core.getGlobalContext().register(r));

        ControlClient client = ControlClient.of(SELF, Duration.ofMinutes(1));
        ControlClient.Answer a = client.checkpointPrepare(false, 60_000);
        assertTrue(a.ok(), a.toString());
        JsonObject result = a.result().getAsJsonObject();
        assertTrue(result.get("resources").getAsInt() >= 3, result.toString());
        assertFalse(result.has("shrink"), "no shrink asked for: " + result);
        assertEquals(List.of("c.before", "b.before", "a.before"), List.copyOf(calls), "last registered first");
        assertFalse(ControlSockets.locate(SELF).found(), "the control socket is parked for the checkpoint");

        client.resume();
        await().atMost(Duration.ofSeconds(10)).until(() -> ControlSockets.locate(SELF).found());
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 6);
        assertEquals(List.of("c.before", "b.before", "a.before", "a.after", "b.after", "c.after"), List.copyOf(calls),
            "after the checkpoint: first registered first");
        assertTrue(ControlClient.of(SELF, Duration.ofMinutes(1)).status().ok(), "the agent answers again");
        java.lang.ref.Reference.reachabilityFence(held); // the context holds Resources weakly, as CRaC's does
    }

    @Test
    void aResourceThatThrowsRefusesTheCheckpointAndTheJvmGoesOnAsBefore() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Resource first = new Recording("first", calls, false);
        Resource failing = new Recording("failing", calls, true);
        Resource last = new Recording("last", calls, false);
        Core.getGlobalContext().register(first);
        Core.getGlobalContext().register(failing);
        Core.getGlobalContext().register(last);

        ControlClient.Answer a = ControlClient.of(SELF, Duration.ofMinutes(1)).checkpointPrepare(true, 60_000);
        assertFalse(a.ok(), "refused");
        assertEquals("refused", a.error());
        assertTrue(a.message().contains("failing cannot be checkpointed now") && a.message().contains("afterRestore"),
            a.message());
        assertEquals(List.of("last.before", "failing.before", "first.before", "first.after", "failing.after",
            "last.after"), List.copyOf(calls), "every Resource notified both ways, as CRaC does on a failed checkpoint");
        assertTrue(ControlSockets.locate(SELF).found(), "nothing was parked");
        assertTrue(ControlClient.of(SELF, Duration.ofMinutes(1)).status().ok());
        ((Recording) failing).fails = false;
        java.lang.ref.Reference.reachabilityFence(List.of(first, failing, last));
    }

    /** Review of issue 16: an Error from a Resource escaped, and those already notified never had afterRestore. */
    @Test
    void aResourceThatThrowsAnErrorRefusesAndEveryNotifiedResourceGetsAfterRestore() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(true);
        Resource erring = new Resource() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> c) {
                if (armed.get()) {
                    calls.add("erring.before");
                    throw new Error("boom");
                }
            }

            @Override
            public void afterRestore(Context<? extends Resource> c) {
                if (armed.get()) {
                    calls.add("erring.after");
                    throw new Error("boom again");
                }
            }
        };
        Resource plain = new Recording("plain", calls, false);
        Core.getGlobalContext().register(erring);
        Core.getGlobalContext().register(plain);
        ControlClient.Answer a = ControlClient.of(SELF, Duration.ofMinutes(1)).checkpointPrepare(false, 60_000);
        assertEquals("refused", a.error(), String.valueOf(a));
        assertTrue(a.message().contains("java.lang.Error: boom"), a.message());
        assertTrue(calls.containsAll(List.of("plain.before", "erring.before", "erring.after", "plain.after")),
            "every Resource notified before had afterRestore, the one after an Error too: " + calls);
        assertTrue(ControlSockets.locate(SELF).found(), "nothing parked");
        armed.set(false);
        java.lang.ref.Reference.reachabilityFence(List.of(erring, plain));
    }

    /** Review of issue 16: a Resource registered during the checkpoint had afterRestore without beforeCheckpoint. */
    @Test
    void aResourceRegisteredDuringTheCheckpointIsNotifiedFromTheNextOneOn() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Resource late = new Recording("late", calls, false);
        Resource registering = new Resource() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> c) {
                calls.add("registering.before");
                Core.getGlobalContext().register(late);
            }

            @Override
            public void afterRestore(Context<? extends Resource> c) {
                calls.add("registering.after");
            }
        };
        Core.getGlobalContext().register(registering);
        ControlClient client = ControlClient.of(SELF, Duration.ofMinutes(1));
        assertTrue(client.checkpointPrepare(false, 60_000).ok());
        client.resume();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("registering.after"));
        Thread.sleep(200);
        assertEquals(List.of("registering.before", "registering.after"), List.copyOf(calls),
            "the late Resource was not told before, so it is not told after either");
        java.lang.ref.Reference.reachabilityFence(List.of(late, registering));
    }

    /**
     * Review of issue 16: a Resource that blocks held the lock the control watchdog needs (idle
     * connections stayed open), and a second prepare waited for the first instead of being refused.
     */
    @Test
    void aBlockingResourceStallsNeitherASecondPrepareNorTheWatchdog() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Resource blocking = new Resource() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> c) throws InterruptedException {
                entered.countDown();
                release.await();
            }

            @Override
            public void afterRestore(Context<? extends Resource> c) {
            }
        };
        Core.getGlobalContext().register(blocking);
        ControlClient client = ControlClient.of(SELF, Duration.ofMinutes(1));
        java.util.concurrent.CompletableFuture<ControlClient.Answer> first = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> {
                try {
                    return client.checkpointPrepare(false, 60_000);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, r -> new Thread(r, "first-prepare").start());
        try {
            assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            ControlClient.Answer second = ControlClient.of(SELF, Duration.ofMinutes(1)).checkpointPrepare(false, 60_000);
            assertFalse(second.ok());
            assertTrue(second.message().contains("being prepared already"), second.message());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused at once, not queued");
            // An idle connection is still closed by the watchdog after the read timeout (10 s).
            try (java.nio.channels.SocketChannel idle = java.nio.channels.SocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
                idle.connect(java.net.UnixDomainSocketAddress.of(ControlSockets.locate(SELF).sockets().get(0)));
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                long c0 = System.nanoTime();
                int n = idle.read(b);
                assertEquals(-1, n, "closed without an answer");
                assertTrue(System.nanoTime() - c0 < 20_000_000_000L, "closed by the watchdog within its limit");
            }
        } finally {
            release.countDown();
        }
        ControlClient.Answer a = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(a.ok(), String.valueOf(a));
        client.resume();
        await().atMost(Duration.ofSeconds(10)).until(() -> ControlSockets.locate(SELF).found());
        java.lang.ref.Reference.reachabilityFence(blocking);
    }

    @Test
    void theShrinkCollectsTheHeapAndGivesItsFreePartBack() throws Exception {
        long mib = 1L << 20;
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 640; i++) {
            garbage.add(new byte[(int) mib]); // the heap grows to hold it, then it is all garbage
        }
        long committed = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        assertTrue(committed >= 640 * mib, "the heap grew: " + committed / mib + " MiB");
        garbage = null;

        ControlClient client = ControlClient.of(SELF, Duration.ofMinutes(1));
        ControlClient.Answer a = client.checkpointPrepare(true, 60_000);
        try {
            assertTrue(a.ok(), a.toString());
            JsonObject shrink = a.result().getAsJsonObject().getAsJsonObject("shrink");
            long before = shrink.get("committedBefore").getAsLong();
            long after = shrink.get("committedAfter").getAsLong();
            long minimum = shrink.get("minimumHeap").getAsLong();
            assertTrue(java.util.Set.of("G1", "Parallel", "Serial").contains(shrink.get("collector").getAsString()),
                "the failsafe JVM runs a collector that shrinks by the ratios: " + shrink);
            assertTrue(after < before - 256 * mib || after <= minimum + mib,
                "the free heap was given back (or the heap is at its minimum): " + shrink);
            assertTrue(shrink.get("gcMillis").getAsDouble() > 0, shrink.toString());
        } finally {
            client.resume();
            await().atMost(Duration.ofSeconds(10)).until(() -> ControlSockets.locate(SELF).found());
        }
        assertEquals(List.of("40", "70"), flags("MinHeapFreeRatio", "MaxHeapFreeRatio"),
            "the ratios the shrink set for its collection are put back");
    }

    private static List<String> flags(String... names) throws IOException {
        com.sun.management.HotSpotDiagnosticMXBean hs = java.lang.management.ManagementFactory
            .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        List<String> values = new ArrayList<>();
        for (String n : names) {
            values.add(hs.getVMOption(n).getValue());
        }
        return values;
    }
}
