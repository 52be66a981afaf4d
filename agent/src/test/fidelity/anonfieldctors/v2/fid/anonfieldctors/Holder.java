package fid.anonfieldctors;
import java.util.function.Supplier;
public class Holder {
    final Supplier<String> task = new Supplier<String>() { public String get() { return "v2"; } };
    public Holder(int x) { }
    public Holder() { }
}
