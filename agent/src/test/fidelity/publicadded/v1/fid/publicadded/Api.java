package fid.publicadded;
public class Api { public String a() { return "a"; } }
