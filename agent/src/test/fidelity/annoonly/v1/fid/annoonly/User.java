package fid.annoonly;
public class User { public String password = "pw"; }
