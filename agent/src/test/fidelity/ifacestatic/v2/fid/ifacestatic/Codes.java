package fid.ifacestatic;
public interface Codes { static String code(int n) { return String.format("C%03d", n); } }
