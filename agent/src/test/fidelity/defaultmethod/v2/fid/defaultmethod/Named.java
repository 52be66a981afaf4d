package fid.defaultmethod;
public interface Named { String name(); default String label() { return "<" + name() + ">"; } }
