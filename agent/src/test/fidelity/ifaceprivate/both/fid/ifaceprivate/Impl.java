package fid.ifaceprivate;
public class Impl implements Named { public String base() { return "impl"; } }
