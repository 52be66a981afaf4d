package fid.classadded;
final class Discount { static long apply(long sum, int qty) { return qty >= 10 ? sum * 9 / 10 : sum; } }
