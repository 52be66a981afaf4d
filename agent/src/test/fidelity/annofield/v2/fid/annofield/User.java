package fid.annofield;
public class User { @Secret public String password = "pw"; public String show() { return "user v2"; } }
