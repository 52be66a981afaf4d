package io.livepatch4j.it.app;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Version 1 of a class whose patches add, renumber and change lambdas (v2 in src/test/resources/v2/Hooks.java). */
public class Hooks {

    private final String name;

    public Hooks(String name) {
        this.name = name;
    }

    /** A lambda made by G0 code; v2 adds another lambda before it, which javac then numbers first. */
    public static Supplier<String> install() {
        return () -> "installed";
    }

    /** v2 returns a lambda here whose body the patch adds. */
    public Supplier<String> tagger() {
        return () -> "untagged";
    }

    /** Code that makes lambdas each time it runs. */
    public String render(List<String> items) {
        return items.stream().map(String::trim).collect(Collectors.joining(","));
    }

    public String name() {
        return name;
    }
}
