package fid.protectedother;
import java.util.function.Supplier;
public class Child extends fid.protectedother.base.Base { public String combine(Child o) { o.tag = "T2"; Supplier<String> s = () -> o.name() + o.tag; Supplier<String> r = o::name; return o.name() + o.tag + stat() + s.get() + r.get(); } }
