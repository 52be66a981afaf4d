package fid.enumswitchorder;
public class Router {
    public static String route(Kind k) { switch (k) { case C: return "c2"; case A: return "a2"; default: return "other2"; } }
}
