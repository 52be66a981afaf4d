package fid.defaultmethod;
public class Impl implements Named { public String name() { return "impl"; } }
