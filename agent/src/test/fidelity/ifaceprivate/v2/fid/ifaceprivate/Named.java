package fid.ifaceprivate;
public interface Named { String base(); default String name() { return deco(base()) + sdeco(); }
  private String deco(String s) { return "v2:" + s + ":" + getClass().getSimpleName(); }
  private static String sdeco() { return "!"; } }
