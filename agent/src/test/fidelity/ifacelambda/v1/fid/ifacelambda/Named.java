package fid.ifacelambda;
import java.util.function.Supplier;
public interface Named { String base();
  default Supplier<String> make() { return new Supplier<String>() { public String get() { return "anon1:" + base(); } }; }
  default String both() { return "v1"; } }
