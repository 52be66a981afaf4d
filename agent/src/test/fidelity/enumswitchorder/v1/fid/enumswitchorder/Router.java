package fid.enumswitchorder;
public class Router {
    public static String route(Kind k) { switch (k) { case A: return "a1"; case C: return "c1"; default: return "other1"; } }
}
