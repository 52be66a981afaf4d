package io.livepatch4j.agent.tooling;

import java.util.Arrays;
import java.util.List;

/** The JVM's live platform threads, listed without a safepoint (through the root thread group). */
final class Threads {

    private Threads() {}

    static List<Thread> all() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 64];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.asList(threads).subList(0, n);
    }
}
