package fid.constadded;
public class Limits implements java.io.Serializable {
    public static final int MAX = 5;
    public static boolean check(int n) { return n < MAX; }
}
