package fid.enumswitchadd;
public class Router {
    public static String route(Kind k) { switch (k) { case A: return "a"; case B: return "b"; default: return "other"; } }
}
