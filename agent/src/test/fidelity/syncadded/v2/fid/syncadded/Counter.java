package fid.syncadded;
public class Counter {
    public synchronized boolean locked() { return Thread.holdsLock(this); }
    public static synchronized boolean slocked() { return Thread.holdsLock(Counter.class); }
    public synchronized void boom() { throw new IllegalStateException("boom"); }
}
