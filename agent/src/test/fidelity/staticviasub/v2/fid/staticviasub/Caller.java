package fid.staticviasub;
import java.util.function.Supplier;
public class Caller {
    public static String call() { return Sub.helper(); }
    public static String field() { Sub.count += 10; return "count=" + Sub.count; }
    public static String ref() { return "ref:" + Sub.helper(); }
}
