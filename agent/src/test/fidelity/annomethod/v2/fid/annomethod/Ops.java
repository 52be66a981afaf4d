package fid.annomethod;
public class Ops { @Secret("token") public String token() { return "t2"; } }
