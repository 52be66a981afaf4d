package fid.superargsbody;
public class User extends Named { final String tag; public User(String n) { super(n.trim()); tag = "trimmed:" + n.length(); } public String tag() { return tag; } }
