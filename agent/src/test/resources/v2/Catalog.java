package io.livepatch4j.it.app;

import io.livepatch4j.it.base.Shelf;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

public class Catalog extends Shelf implements Describable {

    private final String name;
    private final List<String> items = new ArrayList<>();
    /** Added: a shadow field. */
    private int describes;

    public Catalog(String name) {
        super(name.length());
        this.name = name.trim().toLowerCase();       // changed constructor body: writes a final field
    }

    public void add(String item) {
        items.add(item);
    }

    @Override
    public String describe() {
        describes++;                                   // shadow field
        return name + ":" + items.stream().map(this::decorate).collect(Collectors.joining("|"))
            + " #" + describes + " " + joinAll(items, s -> new CatalogEntry(s).render());
    }

    /** Added private method, reached by a method reference. */
    private String decorate(String s) {
        return "<" + s + ">";
    }

    /** Added static method taking a lambda. */
    private static String joinAll(List<String> all, java.util.function.Function<String, String> f) {
        return all.stream().map(f).collect(Collectors.joining(";"));
    }

    public String name() {
        return name;
    }

    @Override
    public String label() {
        return "catalog* " + super.label();              // changed super call site
    }

    public String capacityInfo() {
        return "cap=" + capacity + " " + unit();         // protected field and method from another package
    }

    public static String kind() {
        return "v2";
    }
}
