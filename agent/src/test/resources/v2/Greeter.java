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

    public static String staticVersion() {
        return "v2";
    }
}
