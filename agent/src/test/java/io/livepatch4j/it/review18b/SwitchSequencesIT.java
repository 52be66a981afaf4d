package io.livepatch4j.it.review18b;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.review.app.Rv18Side;
import io.livepatch4j.it.review.app.Rv18Wide;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** review18b: stacked, aborted-global, rollback and cumulative sequences; each class's code, dispatch and guard checked at each step. */
@org.junit.jupiter.api.extension.ExtendWith(io.livepatch4j.it.support.BackToLoadedCode.class)
class SwitchSequencesIT {

    private static final String P = "io.livepatch4j.it.review.app.";

    private static String res(String path) throws Exception {
        try (InputStream in = SwitchSequencesIT.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    private String seen() throws Exception {
        String unit = pool.submit(() -> Rv18Side.m5() + " " + Rv18Wide.v()).get();
        String[] plain = new String[1];
        Thread t = new Thread(() -> plain[0] = Rv18Side.m5() + " " + Rv18Wide.v());
        t.start();
        t.join();
        assertEquals(unit, plain[0], "a unit and a plain thread agree");
        return unit;
    }

    private static String status(String cls) {
        Status.ClassStatus c = LivePatch.status().classes().stream().filter(s -> s.name().equals(P + cls)).findFirst()
            .orElse(null);
        return c == null ? "none" : c.dispatch() + "/" + c.guard();
    }

    private static void await() throws Exception {
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
    }

    @Test
    void sequences() throws Exception {
        Patch a = TestPatches.build("rv18s-a", Map.of(P + "Rv18Side", res("review18b/Rv18Side.java"),
            P + "Rv18Wide", res("review18b/Rv18WideA.java")));
        Patch b = TestPatches.buildOn(a, "rv18s-b", Map.of(P + "Rv18Wide", res("review18b/Rv18WideB.java")));
        Patch c = TestPatches.buildOn(b, "rv18s-c", Map.of(P + "Rv18Wide", res("review18b/Rv18WideC.java")));
        Patch d = TestPatches.build("rv18s-d", Map.of(P + "Rv18Wide", res("review18b/Rv18WideD.java")))
            .withCumulative(true, List.of());
        try {
            assertEquals("5 v1", seen());
            ApplyResult ga = LivePatch.apply(a, Strategy.LOCAL);
            await();
            assertEquals("1005 A", seen());
            assertEquals("direct/true", status("Rv18Side"));
            assertEquals("direct/true", status("Rv18Wide"));

            LivePatch.apply(b, Strategy.LOCAL);
            await();
            assertEquals("1005 B", seen());
            assertEquals("direct/true", status("Rv18Side"));
            assertEquals("direct/true", status("Rv18Wide"));

            // A global apply that times out (globalTimeoutMillis=3000 in the ITs): nothing changes.
            Held held = new Held();
            Greeter.betweenCalls = held::hold;
            Future<String> inFlight = pool.submit(() -> new Greeter("x").pair());
            held.awaitArrival();
            Greeter.betweenCalls = () -> { };
            PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(c, Strategy.GLOBAL));
            assertTrue(e.getMessage().contains("global quiescence"), e.getMessage());
            held.release();
            inFlight.get();
            assertEquals("1005 B", seen());
            assertEquals("direct/true", status("Rv18Side"));
            assertEquals("direct/true", status("Rv18Wide"));

            LivePatch.rollback(ga.generation(), Strategy.LOCAL);
            await();
            assertEquals("1005 A", seen());
            assertEquals("direct/true", status("Rv18Side"));
            assertEquals("direct/true", status("Rv18Wide"));

            // Cumulative D: Wide only; Side back to its code as loaded (guard off).
            LivePatch.apply(d, Strategy.LOCAL);
            await();
            assertEquals("5 D", seen());
            assertEquals("unpatched/false", status("Rv18Side"));
            assertEquals("direct/true", status("Rv18Wide"));

            LivePatch.rollback(ga.generation(), Strategy.GLOBAL);
            assertEquals("1005 A", seen());
            assertEquals("direct/true", status("Rv18Side"));
            assertEquals("direct/true", status("Rv18Wide"));

            LivePatch.rollback(0, Strategy.GLOBAL);
            assertEquals("5 v1", seen());
            assertEquals("unpatched/false", status("Rv18Side"));
            assertEquals("unpatched/false", status("Rv18Wide"));

            // Again, with a rollback that reverses A's transition while a unit holds it.
            Held h2 = new Held();
            Greeter.betweenCalls = h2::hold;
            Future<String> old = pool.submit(() -> {
                String s = Rv18Side.m5() + " " + Rv18Wide.v();
                new Greeter("y").pair();
                return s + " " + Rv18Side.m5() + " " + Rv18Wide.v();
            });
            h2.awaitArrival();
            Greeter.betweenCalls = () -> { };
            LivePatch.apply(a, Strategy.LOCAL);
            LivePatch.apply(b, Strategy.LOCAL).toString(); // refused while A's transition runs? then reversed below
        } catch (PatchException refused) {
            assertTrue(refused.getMessage().contains("running") || refused.getMessage().contains("transition"),
                refused.getMessage());
            LivePatch.rollback(0, Strategy.LOCAL);
            Greeter.betweenCalls = () -> { };
        } finally {
            Greeter.betweenCalls = () -> { };
            pool.shutdownNow();
        }
    }
}
