package fid.addedref;
import java.util.function.*;
public class Outer implements Greeter {
    private final String name;
    public Outer(String name) { this.name = name; }
    public String run() { return name; }
    public static String stat() { return "s1"; }
    public class Inner { public String show() { return "inner " + name; } }
}
