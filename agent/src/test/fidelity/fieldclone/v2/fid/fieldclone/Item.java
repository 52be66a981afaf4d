package fid.fieldclone;
public class Item implements Cloneable {
    private int hits;
    public Item copy() { try { return (Item) clone(); } catch (CloneNotSupportedException e) { throw new AssertionError(e); } }
    public String hit() { return "hits=" + (++hits); }
}
