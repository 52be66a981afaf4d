package io.livepatch4j.bench.safepoints;

import java.util.Arrays;

/**
 * The ways of applying a patch whose safepoints the benchmark counts, each in its own child JVM.
 * In (c) the load's thread pool runs before the agent is attached, as in a server one attaches to;
 * (e) starts it after, to tell apart what attach mode costs from what pre-existing pool threads do.
 */
enum SafepointCase {
    PREPARED_LOCAL("a", "prepared", "local", false),
    PREPARED_GLOBAL("b", "prepared", "global", false),
    ATTACH_LOCAL("c", "attach", "local", false),
    PREPARED_REDEFINE("d", "prepared", "redefine", false),
    ATTACH_LOCAL_NEW_POOL("e", "attach", "local", true);

    private final String letter;
    private final String mode;
    private final String strategy;
    private final boolean loadAfterAttach;

    SafepointCase(String letter, String mode, String strategy, boolean loadAfterAttach) {
        this.letter = letter;
        this.mode = mode;
        this.strategy = strategy;
        this.loadAfterAttach = loadAfterAttach;
    }

    /** Whether the load's pool starts only once the agent is attached. */
    boolean loadAfterAttach() {
        return loadAfterAttach;
    }

    String letter() {
        return letter;
    }

    /** "prepared" (-javaagent at start) or "attach" (Attach API once the load runs). */
    String mode() {
        return mode;
    }

    /** The agent's strategy word: local, global or redefine. */
    String strategy() {
        return strategy;
    }

    boolean attach() {
        return mode.equals("attach");
    }

    /** How tables name it: "(a) prepared, local". */
    String label() {
        return "(" + letter + ") " + mode + ", " + strategy + (loadAfterAttach ? ", pool started after attach" : "");
    }

    /** picocli's converter for --cases: a case by its letter. */
    static final class Letter implements picocli.CommandLine.ITypeConverter<SafepointCase> {
        @Override
        public SafepointCase convert(String letter) {
            return of(letter);
        }
    }

    static SafepointCase of(String letter) {
        return Arrays.stream(values()).filter(c -> c.letter.equals(letter)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown case '" + letter + "': use a, b, c, d or e"));
    }
}
