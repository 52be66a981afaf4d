package fid.volatileadded;
public class Flag { private int v; public int bump() { return ++v; } public static int sv; public static int sbump() { return ++sv; } }
