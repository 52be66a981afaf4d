package fid.volatileadded;
public class Flag { private volatile int v; public int bump() { v += 2; return v; } public static volatile int sv; public static int sbump() { sv += 3; return sv; } }
