package fid.annofield;
public class User { public String password = "pw"; public String show() { return "user"; } }
