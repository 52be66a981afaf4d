package fid.ctoradded;
public class Base { private final String name; public Base(String name) { this.name = name; } public String name() { return name; } }
