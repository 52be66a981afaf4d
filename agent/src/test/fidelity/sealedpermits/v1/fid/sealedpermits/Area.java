package fid.sealedpermits;
public class Area { public static String of(String kind) { return kind.equals("circle") ? "3" : "unknown"; } }
