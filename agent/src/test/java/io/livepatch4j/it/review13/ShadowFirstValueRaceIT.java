package io.livepatch4j.it.review13;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.R13Obj;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of issue 13, promise 4 (shadow fields' first values under contention): a write to an added
 * field of an existing object, made while another thread runs that object's lazy first-value
 * initializer, is overwritten by the initializer's value when it finishes (ShadowField.initialize
 * holds the field's lock, ShadowField.put does not take it).
 */
@ExtendWith(BackToLoadedCode.class)
class ShadowFirstValueRaceIT {

    static final String V2 = """
        package io.livepatch4j.it.review.app;

        public class R13Obj {
            int count = slowInit();

            private static int slowInit() {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return 7;
            }

            public int get() {
                return count;
            }

            public void set(int v) {
                count = v;
            }
        }
        """;

    @Test
    @Timeout(60)
    void aWriteDuringTheFirstValueIsLost() throws Exception {
        R13Obj obj = new R13Obj(); // made by the old code: no value for the field yet
        LivePatch.apply(TestPatches.build("r13-shadow-race", Map.of("io.livepatch4j.it.review.app.R13Obj", V2)),
            Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        AtomicInteger firstRead = new AtomicInteger();
        Thread reader = new Thread(() -> Quiescence.run(() -> firstRead.set(obj.get())));
        reader.start();
        Thread.sleep(150); // the reader is inside the initializer
        int afterWrite = Quiescence.call(() -> {
            obj.set(42);
            return obj.get();
        });
        reader.join();
        int last = Quiescence.call(obj::get);
        System.out.println("[review13] reader saw " + firstRead.get() + "; writer read back " + afterWrite
            + "; afterwards the field holds " + last);
        assertEquals(42, last, "the last write to the field was lost to its lazy initializer");
    }
}
