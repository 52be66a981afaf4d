package fid.superargsbody;
public class User extends Named { final String tag; public User(String n) { super(n); tag = "plain"; } public String tag() { return tag; } }
