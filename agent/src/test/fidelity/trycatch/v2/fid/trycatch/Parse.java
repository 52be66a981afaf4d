package fid.trycatch;
public class Parse {
    public static int parse(String s) {
        try { return Integer.parseInt(s); } catch (NumberFormatException e) { return -1; } finally { s.length(); }
    }
}
