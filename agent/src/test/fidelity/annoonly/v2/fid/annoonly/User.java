package fid.annoonly;
public class User { @Secret public String password = "pw"; }
