package fid.syncstatic;
public class Tally {
    static synchronized String sadd(int k) { return "v2 holds class " + Thread.holdsLock(Tally.class); }
    synchronized String add(int k) { return "v2 holds this " + Thread.holdsLock(this) + " class " + Thread.holdsLock(Tally.class); }
    static class Inner { static synchronized String go() { return "v2 inner " + Thread.holdsLock(Inner.class) + " outer " + Thread.holdsLock(Tally.class); } }
}
