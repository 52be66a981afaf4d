package fid.publicremoved;
public class Api { public String a() { return "a"; } }
