package fid.superchanged;
public class C extends B { public String me() { return "C<" + who(); } }
