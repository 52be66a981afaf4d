package io.livepatch4j.it.hazard.app;

/**
 * The hazard suite's patchable class (its package is prepared in the failsafe argLine). Each method
 * returns the version of its code, so a unit of work that called both can tell if it saw two.
 * The v2 is src/test/resources/hazards/pair/Pair.java.
 */
public class Pair {

    /** Runs between the two calls of {@link #pair}; tests hold a thread inside the class with it. */
    public static volatile Runnable between = Pair::nothing;

    public static String first() {
        return "v2";
    }

    public static String second() {
        return "v2";
    }

    /**
     * first(), the hook, second(): "first+second". The same result from other code: pair() is a
     * changed method of the patch, so an old frame of it holds a transition back (stack checks are
     * per changed method, as Linux livepatch's).
     */
    public static String pair() {
        String a = first();
        between.run();
        String b = second();
        String joined = a + "+" + b;
        return joined;
    }

    private static void nothing() {
    }
}
