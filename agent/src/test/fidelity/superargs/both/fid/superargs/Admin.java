package fid.superargs;
public class Admin extends User { public Admin(String n) { super(n + "! "); } }
