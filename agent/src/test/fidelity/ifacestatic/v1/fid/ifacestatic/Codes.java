package fid.ifacestatic;
public interface Codes { static String code(int n) { return "C" + n; } }
