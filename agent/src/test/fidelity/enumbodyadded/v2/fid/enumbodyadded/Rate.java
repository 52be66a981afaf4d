package fid.enumbodyadded;
enum Rate {
    SMALL { String apply(int n) { return "small " + n; } },
    LARGE { String apply(int n) { return "large " + n * 2; } };
    abstract String apply(int n);
    static Rate of(int n) { return n < 10 ? SMALL : LARGE; }
}
