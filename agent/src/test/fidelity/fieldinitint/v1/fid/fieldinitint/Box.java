package fid.fieldinitint;
public class Box {
    private int size = 5;
    public String show() { return "size=" + size; }
}
