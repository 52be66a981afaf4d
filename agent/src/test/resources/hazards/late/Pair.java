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

    /** first(), the hook, second(): "first+second". */
    public static String pair() {
        String a = first();
        between.run();
        String b = second();
        return a + "+" + b;
    }

    private static void nothing() {
    }
}
