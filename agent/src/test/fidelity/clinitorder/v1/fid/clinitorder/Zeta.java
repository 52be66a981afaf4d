package fid.clinitorder;
public class Zeta { public static String fmt(String s) { return s; } }
