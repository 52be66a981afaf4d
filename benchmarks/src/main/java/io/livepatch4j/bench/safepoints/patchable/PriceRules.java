package io.livepatch4j.bench.safepoints.patchable;

/**
 * The patchable class of the safepoint benchmark: what the load's units of work call. The patch
 * changes the constant in {@link #stamp}, so a unit of work can tell which generation it ran.
 * The only class in the package the agent prepares.
 */
public final class PriceRules {

    public static final int STAMP_V1 = 0x5EED0001;
    public static final int STAMP_V2 = 0x5EED0002;

    /** A line's price in cents: 5% off from ten items. */
    public long price(int quantity, long unitCents) {
        long total = quantity * unitCents;
        return quantity >= 10 ? total - total / 20 : total;
    }

    /** {@code x} marked with this version's stamp: {@code stamp(x) ^ x} is the stamp. */
    public int stamp(int x) {
        return x ^ 0x5EED0001;
    }
}
