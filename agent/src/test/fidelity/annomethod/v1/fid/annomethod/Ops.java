package fid.annomethod;
public class Ops { public String token() { return "t1"; } }
