package io.livepatch4j.it.hazard.app;

import io.livepatch4j.quiescence.Quiescence;

/**
 * Old code that begins a unit of work inside its own frame: {@link #around} calls first(), runs
 * {@code work} as a Quiescence unit, then calls second(). The v2 is
 * src/test/resources/hazards/outer/Outer.java (first and second return "v2").
 */
public class Outer {

    public static String first() {
        return "v2";
    }

    public static String second() {
        return "v2";
    }

    /**
     * The same result from other code: around() is a changed method of the patch, so its old frame
     * holds the transition back (stack checks are per changed method, as Linux livepatch's).
     */
    public static String around(Runnable work, Runnable afterWork) {
        String a = first();
        Quiescence.run(work);
        afterWork.run();
        String b = second();
        String joined = a + "+" + b;
        return joined;
    }
}
