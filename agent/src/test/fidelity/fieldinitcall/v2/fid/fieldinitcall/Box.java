package fid.fieldinitcall;
public class Box {
    private int size = Integer.parseInt("6");
    public String show() { return "size=" + size; }
}
