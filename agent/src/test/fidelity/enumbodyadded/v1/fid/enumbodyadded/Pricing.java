package fid.enumbodyadded;
public class Pricing { public static String price(int n) { return "flat " + n; } }
