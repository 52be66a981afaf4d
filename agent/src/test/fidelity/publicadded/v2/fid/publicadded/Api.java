package fid.publicadded;
public class Api { public String a() { return b(); } public String b() { return "b"; } }
