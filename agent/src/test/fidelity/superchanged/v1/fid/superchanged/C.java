package fid.superchanged;
public class C extends A { public String me() { return "C<" + who(); } }
