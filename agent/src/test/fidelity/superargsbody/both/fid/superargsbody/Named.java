package fid.superargsbody;
public class Named { final String name; public Named(String name) { this.name = name; } public String name() { return name; } }
