package fid.classadded;
public class Price { public static long total(long cents, int qty) { return Discount.apply(cents * qty, qty); } }
