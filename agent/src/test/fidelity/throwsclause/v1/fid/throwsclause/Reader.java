package fid.throwsclause;
public class Reader { public String read(String s) throws java.io.IOException { return s; } }
