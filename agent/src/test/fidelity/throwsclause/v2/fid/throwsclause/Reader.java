package fid.throwsclause;
public class Reader { public String read(String s) throws java.io.IOException, java.util.concurrent.TimeoutException { return s + s; } }
