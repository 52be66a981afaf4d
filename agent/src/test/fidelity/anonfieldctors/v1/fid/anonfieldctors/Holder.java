package fid.anonfieldctors;
import java.util.function.Supplier;
public class Holder {
    final Supplier<String> task = new Supplier<String>() { public String get() { return "v1"; } };
    public Holder() { }
    public Holder(int x) { }
}
