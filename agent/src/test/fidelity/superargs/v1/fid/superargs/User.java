package fid.superargs;
public class User extends Named { public User(String n) { super(n); } public User() { this("anon"); } }
