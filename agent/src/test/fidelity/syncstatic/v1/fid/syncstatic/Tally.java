package fid.syncstatic;
public class Tally {
    static synchronized String sadd(int k) { return "v1"; }
    synchronized String add(int k) { return "v1"; }
    static class Inner { static synchronized String go() { return "v1"; } }
}
