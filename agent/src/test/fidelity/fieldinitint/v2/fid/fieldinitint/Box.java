package fid.fieldinitint;
public class Box {
    private int size = 6;
    public String show() { return "size=" + size; }
}
