package fid.nestenum;
public class Outer {
    enum Op { PLUS { int ap(int a, int b) { return a + b; } }, MINUS { int ap(int a, int b) { return a - b; } }; abstract int ap(int a, int b); }
    static class A { private String a = "a"; private String b() { return new B().b; } }
    static class B { private String b = "b"; private String a() { return new A().a + new A().b(); } }
    public static String ops() { return Op.PLUS.ap(2, 3) + "," + Op.MINUS.ap(2, 3); }
    public static String pair() { return new B().a(); }
}
