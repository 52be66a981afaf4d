package io.livepatch4j.it.app;

import io.livepatch4j.it.base.Shelf;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Version 1 of a class whose version 2 uses every kind of change a patch may make. */
public class Catalog extends Shelf implements Describable {

    private final String name;
    private final List<String> items = new ArrayList<>();

    public Catalog(String name) {
        super(name.length());
        this.name = name.trim();
    }

    public void add(String item) {
        items.add(item);
    }

    @Override
    public String describe() {
        return name + ":" + items.stream().map(s -> s.toUpperCase()).collect(Collectors.joining(","));
    }

    public String name() {
        return name;
    }

    @Override
    public String label() {
        return "catalog " + super.label();
    }

    public String capacityInfo() {
        return "cap=" + capacity;
    }

    public static String kind() {
        return "v1";
    }
}
