package io.livepatch4j.agent.bootstrap;

/**
 * A generation: the code of every patched class, as the version of each. G0 is the code as loaded;
 * each apply or rollback creates the next. Immutable; threads pin the one they entered their unit
 * of work in. {@code versions[i]} is the version of the class with index i, or null for its original.
 */
public final class Generation {

    public static final Generation ZERO = new Generation(0, "code as loaded", new ClassVersion[0]);

    private final long number;
    private final String label;
    private final ClassVersion[] versions;

    public Generation(long number, String label, ClassVersion[] versions) {
        this.number = number;
        this.label = label;
        this.versions = versions.clone();
    }

    public long number() {
        return number;
    }

    public String label() {
        return label;
    }

    /** The version of the class with this index, or null for its original code. */
    public ClassVersion version(int classIndex) {
        return classIndex < versions.length ? versions[classIndex] : null;
    }

    /** A copy of the per-class versions, for deriving the next generation. */
    public ClassVersion[] versions() {
        return versions.clone();
    }

    /**
     * Whether two generations run the same code in every class: a thread pinned to one needs no
     * move to reach the other (a rollback that reverses a transition relies on this).
     */
    public boolean sameCodeAs(Generation other) {
        int n = Math.max(versions.length, other.versions.length);
        for (int i = 0; i < n; i++) {
            ClassVersion a = version(i);
            ClassVersion b = other.version(i);
            int va = a == null ? 0 : a.number();
            int vb = b == null ? 0 : b.number();
            if (va != vb) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "G" + number + " (" + label + ")";
    }
}
