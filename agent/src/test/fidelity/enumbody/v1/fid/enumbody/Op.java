package fid.enumbody;
public enum Op {
    PLUS { public int apply(int a, int b) { return a + b; } },
    MINUS { public int apply(int a, int b) { return a - b; } },
    TIMES;
    public int apply(int a, int b) { return a * b; }
    public String symbol() { switch (this) { case PLUS: return "+"; case MINUS: return "-"; default: return "?"; } }
}
