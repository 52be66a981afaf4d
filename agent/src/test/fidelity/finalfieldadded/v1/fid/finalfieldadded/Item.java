package fid.finalfieldadded;
public class Item { private final String name; public Item(String n) { name = n; } public String show() { return "item " + name; } }
