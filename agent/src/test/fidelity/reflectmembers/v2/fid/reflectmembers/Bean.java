package fid.reflectmembers;
public class Bean { private String name = "n"; private int reads; public String name() { reads++; return decorate(name); } private String decorate(String s) { return s + "!"; } }
