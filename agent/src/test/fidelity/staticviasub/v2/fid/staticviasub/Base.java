package fid.staticviasub;
import java.util.function.Supplier;
public class Base {
    public static int count;
    public static String helper() { return "helper" + (++count); }
    private String priv() { return "priv:" + getClass().getSimpleName(); }
    public String privRef() { Supplier<String> s = this::priv; return s.get(); }
}
