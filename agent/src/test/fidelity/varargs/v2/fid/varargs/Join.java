package fid.varargs;
public class Join { public static String join(String... parts) { return String.join(";", parts); } }
