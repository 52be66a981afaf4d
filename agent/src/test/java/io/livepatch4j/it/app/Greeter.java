package io.livepatch4j.it.app;

/**
 * A patchable class (its package is prepared by the agent in the integration tests). Each method
 * reports which version of the code ran, so a unit of work can tell if it saw two versions.
 */
public class Greeter {

    private final String name;

    public Greeter(String name) {
        this.name = name;
    }

    public String first() {
        return "v1";
    }

    public String second() {
        return "v1";
    }

    public String greet() {
        return "hello " + name + " from " + first();
    }

    /** Runs between the two calls of {@link #pair}; tests use it to hold a thread inside the class. */
    public static volatile Runnable betweenCalls = Greeter::nothing;

    /** Calls both versioned methods with the hook between them; returns "first+second". */
    public String pair() {
        String a = first();
        betweenCalls.run();
        String b = second();
        return a + "+" + b;
    }

    private static void nothing() {
    }

    public static String staticVersion() {
        return "v1";
    }
}
