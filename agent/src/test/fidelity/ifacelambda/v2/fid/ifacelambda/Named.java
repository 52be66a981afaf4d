package fid.ifacelambda;
import java.util.function.Supplier;
public interface Named { String base();
  default Supplier<String> make() { return new Supplier<String>() { public String get() { return "anon1:" + base(); } }; }
  default String both() { Supplier<String> a = new Supplier<String>() { public String get() { return "ins:" + base(); } }; Supplier<String> l = () -> "lam:" + base(); return a.get() + l.get() + make().get(); } }
