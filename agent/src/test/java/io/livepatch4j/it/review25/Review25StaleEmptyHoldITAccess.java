package io.livepatch4j.it.review25;

/** review26: public access to Review25StaleEmptyHoldIT.holdsOn from other packages. */
public final class Review25StaleEmptyHoldITAccess {

    private Review25StaleEmptyHoldITAccess() {}

    public static int holdsOn(Object task) throws Exception {
        return Review25StaleEmptyHoldIT.holdsOn(task);
    }
}
