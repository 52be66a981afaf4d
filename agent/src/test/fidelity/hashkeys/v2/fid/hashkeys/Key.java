package fid.hashkeys;
public class Key {
    final String id;
    public Key(String id) { this.id = id; }
    @Override public boolean equals(Object o) { return o instanceof Key && ((Key) o).id.equalsIgnoreCase(id); }
    @Override public int hashCode() { return id.toLowerCase().hashCode() * 31; }
}
