package fid.syncadded;
public class Counter {
    public boolean locked() { return Thread.holdsLock(this); }
    public static boolean slocked() { return Thread.holdsLock(Counter.class); }
    public void boom() { throw new IllegalStateException("boom"); }
}
