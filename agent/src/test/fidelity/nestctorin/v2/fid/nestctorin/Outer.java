package fid.nestctorin;
public class Outer {
    static final class Holder { private final String v; private Holder(String v) { this.v = v; } }
    public static String get() { return new Holder("held").v; }
}
