package fid.enumabstract;
public enum Op {
    PLUS { int apply(int a, int b) { return a + b + bonus(); } private int bonus() { return 100; } },
    MINUS { int apply(int a, int b) { return a - b; } },
    TIMES { int apply(int a, int b) { return a * b * 10; } };
    abstract int apply(int a, int b);
}
