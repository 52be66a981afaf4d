package io.livepatch4j.it;

import io.livepatch4j.agent.bootstrap.ThreadState;
import io.livepatch4j.it.app.ConfiguredWorker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A thread per unit of work (no pool) must not make the agent hold every thread that ever ran. */
class ThreadStatesIT {

    @Test
    void endedThreadsAreNotHeldWithoutBound() throws Exception {
        ConfiguredWorker worker = new ConfiguredWorker();
        for (int i = 0; i < 5000; i++) {
            Thread t = new Thread(() -> worker.work(() -> 1));
            t.start();
            t.join();
        }
        assertTrue(ThreadState.all().size() < 1100, "thread states held: " + ThreadState.all().size());
    }
}
