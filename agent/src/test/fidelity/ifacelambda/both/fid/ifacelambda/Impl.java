package fid.ifacelambda;
public class Impl implements Named { public String base() { return "impl"; } }
