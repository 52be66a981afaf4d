package fid.hashkeys;
public class Key {
    final String id;
    public Key(String id) { this.id = id; }
    @Override public boolean equals(Object o) { return o instanceof Key && ((Key) o).id.equals(id); }
    @Override public int hashCode() { return id.hashCode(); }
}
