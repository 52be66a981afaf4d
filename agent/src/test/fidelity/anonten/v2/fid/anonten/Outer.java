package fid.anonten;
import java.util.*; import java.util.function.Supplier;
public class Outer {
    public static String early() { Runnable r = new Runnable() { public void run() { } }; r.run(); return "runnable"; }
    public static List<Supplier<String>> many() {
        List<Supplier<String>> l = new ArrayList<>();
        l.add(new Supplier<String>() { public String get() { return "s1"; } });
        l.add(new Supplier<String>() { public String get() { return "s2"; } });
        l.add(new Supplier<String>() { public String get() { return "s3"; } });
        l.add(new Supplier<String>() { public String get() { return "s4"; } });
        l.add(new Supplier<String>() { public String get() { return "s5"; } });
        l.add(new Supplier<String>() { public String get() { return "s6"; } });
        l.add(new Supplier<String>() { public String get() { return "s7"; } });
        l.add(new Supplier<String>() { public String get() { return "s8"; } });
        l.add(new Supplier<String>() { public String get() { return "s9"; } });
        l.add(new Supplier<String>() { public String get() { return "s10"; } });
        l.add(new Supplier<String>() { public String get() { return "s11"; } });
        return l;
    }
}
