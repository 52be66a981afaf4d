package fid.superargs;
public class User extends Named { public User(String n) { super(n == null ? "?" : n.trim()); } public User() { this("  guest "); } }
