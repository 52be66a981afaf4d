package fid.methodref;
import java.util.function.Function;
public class Conv { public static Function<String, String> conv() { return String::toUpperCase; } }
