package io.livepatch4j.servers.child;

/** The line a server child prints once it serves: the harness (ServerChild) waits for it. */
final class Ready {

    private Ready() {}

    static void announce(int port) {
        System.out.println("READY port=" + port + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
    }
}
