package fid.superprivate;
import java.util.function.Supplier;
public class Base { public String show() { Supplier<String> s = this::tag; Supplier<String> l = () -> tag(); return "v2:" + tag() + s.get() + l.get(); } private String tag() { return "base"; } }
