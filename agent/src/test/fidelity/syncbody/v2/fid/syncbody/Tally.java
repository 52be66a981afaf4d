package fid.syncbody;
public class Tally { private int n; public synchronized int add(int k) { n += 2 * k; return n; } }
