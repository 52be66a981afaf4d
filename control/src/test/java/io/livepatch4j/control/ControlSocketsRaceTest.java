package io.livepatch4j.control;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review of issue 14 (finding F3): a directory named like a JVM's control directory that another user
 * creates and removes again must not make {@link ControlSockets#locate} fail. Any user can churn
 * {@code /tmp/.livepatch4j-PID-*} names for any pid (root's JVMs included); an entry that vanishes
 * between the directory listing and its lstat must be passed over, not end the search.
 */
class ControlSocketsRaceTest {

    @Test
    void entriesThatVanishDuringTheSearchAreSkipped() throws Exception {
        long pid = ProcessHandle.current().pid();
        AtomicBoolean stop = new AtomicBoolean();
        Thread churn = new Thread(() -> {
            Path[] names = new Path[300];
            for (int i = 0; i < names.length; i++) {
                names[i] = Path.of("/tmp", ".livepatch4j-" + pid + "-churn" + i);
            }
            while (!stop.get()) {
                for (Path n : names) {
                    try {
                        Files.createDirectory(n);
                    } catch (IOException ignored) {
                        // already there
                    }
                }
                for (Path n : names) {
                    try {
                        Files.deleteIfExists(n);
                    } catch (IOException ignored) {
                        // gone
                    }
                }
            }
        }, "churn");
        churn.start();
        int failures = 0;
        String first = null;
        try {
            for (int i = 0; i < 50; i++) {
                try {
                    ControlSockets.locate(pid);
                } catch (IOException e) {
                    failures++;
                    if (first == null) {
                        first = e.toString();
                    }
                }
            }
        } finally {
            stop.set(true);
            churn.join();
        }
        assertEquals(0, failures, "locate failed " + failures + " of 50 times while another user churned names; first: "
            + first);
    }
}
