package fid.superargs;
public class Named { final String name; public Named(String name) { this.name = name; } public String name() { return name; } }
