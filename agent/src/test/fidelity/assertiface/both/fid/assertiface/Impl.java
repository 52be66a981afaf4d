package fid.assertiface;
public class Impl implements Shape { public String name() { return "impl"; } }
