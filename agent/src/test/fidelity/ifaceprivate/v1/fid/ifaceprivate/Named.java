package fid.ifaceprivate;
public interface Named { String base(); default String name() { return "v1:" + base(); } }
