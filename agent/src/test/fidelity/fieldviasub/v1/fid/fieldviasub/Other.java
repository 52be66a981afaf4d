package fid.fieldviasub;
public class Other { public static String bump(Kid k) { return "v1"; } }
