package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ServerHooks;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 15b: ServerHooks.mbeanServerReady promises "other callers wait until the action is done, so
 * they find the agent's MXBean there" because ManagementFactory.getPlatformMBeanServer is synchronized.
 * That holds only while the action runs inside that lock. The agent's daemon (StartInBackground.rest,
 * 2 s after start) called mbeanServerReady() directly, outside ManagementFactory's lock: if it won
 * the getAndSet, an application thread whose getPlatformMBeanServer returned meanwhile (its exit hook
 * found no action) saw a platform MBean server without io.livepatch4j:type=LivePatch (the daemon's
 * LivePatchMBean.register still introspecting the MXBean interface, a few ms). The daemon now takes
 * ManagementFactory's lock first (StartInBackground.mbeanServerReady).
 */
class MBeanServerReadyReviewTest {

    @Test
    void aCallerOfGetPlatformMBeanServerFindsTheActionDoneEvenWhenTheDaemonRunsIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean registered = new AtomicBoolean();
        ServerHooks.whenMBeanServerReady(() -> {
            started.countDown();
            try {
                Thread.sleep(300); // LivePatchMBean.register: creating the MXBean's introspection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            registered.set(true);
        });
        Thread daemon = new Thread(StartInBackground::mbeanServerReady, "livepatch4j-start"); // StartInBackground.rest
        daemon.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        // An application thread: getPlatformMBeanServer (synchronized on ManagementFactory.class), its woven exit call.
        synchronized (ManagementFactory.class) {
            ServerHooks.mbeanServerReady();
        }
        boolean seen = registered.get();
        daemon.join();
        assertTrue(seen, "getPlatformMBeanServer returned before the agent's MXBean was registered");
    }
}
