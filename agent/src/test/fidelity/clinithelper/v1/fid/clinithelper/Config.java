package fid.clinithelper;
public class Config {
    static final int LIMIT = compute();
    static int compute() { return 10; }
    public static int limit() { return LIMIT; }
}
