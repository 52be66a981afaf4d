package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Apply, rollback and reverse from three threads at once (Java API and the MBean), local and global,
 * while four threads run units that call Rv.v() twice. Afterwards: no unexpected exception, no mixed
 * unit, and the code that runs matches what status says.
 */
class ControlStormIT {

    @Test
    @Timeout(120)
    void concurrentControlCallsNeverMixOrDesync() throws Exception {
        Patch v2 = ReviewPatches.rvV2();
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.livepatch4j:type=LivePatch");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong units = new AtomicLong();
        AtomicLong mixed = new AtomicLong();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        Thread[] workers = new Thread[4];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        Quiescence.run(() -> {
                            String a = Rv.v();
                            Thread.onSpinWait();
                            String b = Rv.v();
                            units.incrementAndGet();
                            if (!a.equals(b)) {
                                mixed.incrementAndGet();
                            }
                        });
                    } catch (Throwable t) {
                        unexpected.add(t);
                    }
                }
            }, "storm-worker-" + i);
            workers[i].start();
        }
        Thread[] controllers = new Thread[3];
        long end = System.nanoTime() + Duration.ofSeconds(Integer.getInteger("lp4j.review.stormSeconds", 8)).toNanos();
        for (int i = 0; i < controllers.length; i++) {
            controllers[i] = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    int op = r.nextInt(6);
                    String what = switch (op) {
                        case 0 -> "apply-local";
                        case 1 -> "apply-global";
                        case 2 -> "rollback-local";
                        case 3 -> "reverse";
                        case 4 -> "jmx-rollback";
                        default -> "jmx-status";
                    };
                    try {
                        switch (op) {
                            case 0 -> LivePatch.apply(v2, Strategy.LOCAL);
                            case 1 -> LivePatch.apply(v2, Strategy.GLOBAL);
                            case 2 -> LivePatch.rollback(0, Strategy.LOCAL);
                            case 3 -> LivePatch.reverse();
                            case 4 -> mbs.invoke(name, "rollback", new Object[] {0L, "local"}, new String[] {"long", "java.lang.String"});
                            default -> mbs.getAttribute(name, "StatusJson");
                        }
                        outcomes.computeIfAbsent(what + ":ok", k -> new AtomicLong()).incrementAndGet();
                    } catch (PatchException e) {
                        outcomes.computeIfAbsent(what + ":refused", k -> new AtomicLong()).incrementAndGet();
                    } catch (javax.management.RuntimeMBeanException e) {
                        if (!(e.getCause() instanceof IllegalArgumentException)) {
                            unexpected.add(new AssertionError(what, e));
                        }
                        outcomes.computeIfAbsent(what + ":refused", k -> new AtomicLong()).incrementAndGet();
                    } catch (javax.management.MBeanException e) {
                        outcomes.computeIfAbsent(what + ":refused", k -> new AtomicLong()).incrementAndGet();
                    } catch (Throwable t) {
                        unexpected.add(new AssertionError(what, t));
                    }
                    try {
                        Thread.sleep(r.nextInt(20));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "storm-control-" + i);
            controllers[i].start();
        }
        for (Thread c : controllers) {
            c.join();
        }
        boolean settled = LivePatch.awaitTransition(Duration.ofSeconds(20));
        stop.set(true);
        for (Thread w : workers) {
            w.join(10_000);
        }
        var status = LivePatch.status();
        int version = status.classes().stream().filter(c -> c.name().equals(Rv.class.getName())).mapToInt(c -> c.version()).findFirst().orElse(0);
        String runs = Quiescence.call(Rv::v);
        String outside = Rv.v();
        System.out.println("[review] storm: units " + units + ", mixed " + mixed + ", outcomes " + outcomes + ", settled " + settled
            + ", status version " + version + " gen " + status.currentGeneration() + ", runs " + runs + "/" + outside
            + ", unexpected " + unexpected.size());
        unexpected.stream().limit(5).forEach(Throwable::printStackTrace);
        assertTrue(unexpected.isEmpty(), "unexpected exceptions: " + unexpected);
        assertEquals(0, mixed.get(), "mixed units");
        assertTrue(settled, "the last transition never completed: " + StatusJson.of(status));
        assertEquals(version == 0 ? "v1" : "v2", runs, "status says version " + version);
        assertEquals(runs, outside);
    }
}
