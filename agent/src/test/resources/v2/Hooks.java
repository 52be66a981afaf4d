package io.livepatch4j.it.app;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

public class Hooks {

    private final String name;

    public Hooks(String name) {
        this.name = name;
    }

    public static Supplier<String> install() {
        Supplier<String> audit = () -> "audited";                 // javac numbers this one lambda$install$0 now
        return audit.get().isEmpty() ? audit : () -> "installed";
    }

    public Supplier<String> tagger() {
        Supplier<String> untagged = () -> "untagged";
        return name.isEmpty() ? untagged : () -> "tag1:" + name;   // a body the patch adds, capturing this
    }

    public String render(List<String> items) {
        return items.stream().map(String::trim).map(s -> "<" + s + ">").collect(Collectors.joining(","));
    }

    public String name() {
        return name;
    }
}
