package fid.reflectmembers;
public class Bean { private String name = "n"; public String name() { return name; } }
