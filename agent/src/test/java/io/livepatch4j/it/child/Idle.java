package io.livepatch4j.it.child;

/** Prints "READY" once its agent's control socket is open, then waits to be killed. */
public final class Idle {

    private Idle() {}

    public static void main(String[] args) throws Exception {
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
