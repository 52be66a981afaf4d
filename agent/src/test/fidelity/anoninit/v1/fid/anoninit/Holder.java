package fid.anoninit;
import java.util.function.Supplier;
public class Holder {
    static String last = "none";
    final Supplier<String> inst = new Supplier<String>() { public String get() { return "inst"; } };
    static final Supplier<String> S = new Supplier<String>() { public String get() { return "static"; } };
}
