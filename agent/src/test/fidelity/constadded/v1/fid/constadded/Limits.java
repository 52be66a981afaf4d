package fid.constadded;
public class Limits implements java.io.Serializable {
    public static boolean check(int n) { return n < 10; }
}
