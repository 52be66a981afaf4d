package io.livepatch4j.bench.callcost.patchable;

/**
 * The patchable method whose call the call-cost benchmark measures: a few arithmetic operations on
 * its argument, small enough that the JIT inlines it, real enough that it cannot be folded away.
 * The only class in the package the agent prepares (JMH's generated classes live elsewhere).
 */
public final class Mixer {

    /** The constant a patch changes; the v2 body costs exactly what v1 costs. */
    public static final int SALT_V1 = 0x2545F491;
    public static final int SALT_V2 = 0x3C6EF372;

    /** A hash step (Fibonacci multiply, xor-shift) plus a salt: the salt tells v1 from v2. */
    public int mix(int x) {
        int h = x * 0x9E3779B9;
        h ^= h >>> 16;
        return h + 0x2545F491;
    }

    /** What {@link #mix} returns for x in the version with the given salt: to check which version ran. */
    public static int expected(int x, int salt) {
        int h = x * 0x9E3779B9;
        h ^= h >>> 16;
        return h + salt;
    }
}
