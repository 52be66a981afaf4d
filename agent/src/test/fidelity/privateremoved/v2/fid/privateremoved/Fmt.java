package fid.privateremoved;
public class Fmt { public String fmt(int x) { return String.format("%03d", x); } }
