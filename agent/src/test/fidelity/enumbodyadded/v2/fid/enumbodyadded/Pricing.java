package fid.enumbodyadded;
public class Pricing { public static String price(int n) { return Rate.of(n).apply(n); } }
