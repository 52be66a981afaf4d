package fid.fieldhide;
public class Reader { public static String read() { return Sub.label; } }
