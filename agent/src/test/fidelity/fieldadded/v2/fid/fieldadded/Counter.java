package fid.fieldadded;
public class Counter {
    private final String name;
    private int hits;
    public Counter(String name) { this.name = name; }
    public String hit() { hits++; return name + "#" + hits; }
}
