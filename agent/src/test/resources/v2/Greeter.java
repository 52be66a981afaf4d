package io.livepatch4j.it.app;

public class Greeter {

    private final String name;

    public Greeter(String name) {
        this.name = name;
    }

    public String first() {
        return "v2";
    }

    public String second() {
        return "v2";
    }

    public String greet() {
        return "hi " + name + " from " + first();
    }

    /** Runs between the two calls of {@link #pair}; tests use it to hold a thread inside the class. */
    public static volatile Runnable betweenCalls = Greeter::nothing;

    /**
     * Calls both versioned methods with the hook between them; returns "first+second". The same
     * result as v1 from other code: pair() is a changed method of the patch, so a thread inside it
     * holds a transition back (stack checks are per changed method).
     */
    public String pair() {
        String a = first();
        betweenCalls.run();
        String b = second();
        String joined = a + "+" + b;
        return joined;
    }

    private static void nothing() {
    }

    public static String staticVersion() {
        return "v2";
    }
}
