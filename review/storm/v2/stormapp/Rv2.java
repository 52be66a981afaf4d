package stormapp;

public class Rv2 {
    public static String v() {
        return "v2";
    }
}
