package io.livepatch4j.bench.latency;

/**
 * What happens to the server during the measured period. The three patch strategies apply the
 * v1-to-v2 patch and roll it back again and again; restart, criu and criu-jvm take the server down once.
 */
enum Scenario {
    NONE("none", null, "no patching: the baseline"),
    LOCAL("local", "local",
            "apply and roll back every 1.2-1.8 s; each thread moves at its own quiescence point"),
    GLOBAL("global", "global",
            "apply and roll back every 1.2-1.8 s; all threads held until none is in a unit of work"),
    REDEFINE("redefine", "redefine", "apply and roll back every 1.2-1.8 s with redefineClasses (HotSwap)"),
    RESTART("restart", null, "SIGTERM v1 (graceful), start v2 on the same port with the same data"),
    CRIU("criu", null, "CRIU checkpoint (with the established connections), kill, restore"),
    CRIU_JVM("criu-jvm", null, "lp4j checkpoint with the agent (heap collected and given back, socket parked), "
        + "CRIU as in criu, lazy restore where the kernel allows it");

    private final String word;
    private final String strategy;
    private final String description;

    Scenario(String word, String strategy, String description) {
        this.word = word;
        this.strategy = strategy;
        this.description = description;
    }

    String word() {
        return word;
    }

    /** The agent's strategy for the patch scenarios, or null. */
    String strategy() {
        return strategy;
    }

    boolean patches() {
        return strategy != null;
    }

    /** A CRIU scenario: needs lp4j-native and root, and a server CRIU can dump alone. */
    boolean checkpoints() {
        return this == CRIU || this == CRIU_JVM;
    }

    String description() {
        return description;
    }

    static Scenario parse(String word) {
        for (Scenario s : values()) {
            if (s.word.equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + word
            + "'; the scenarios are none, local, global, redefine, restart, criu, criu-jvm");
    }
}
