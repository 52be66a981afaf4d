package fid.superargsbody;
public class Admin extends User { public Admin(String n) { super(n + "! "); } }
