package fid.syntheticfields;
public class Order { private String id = "o1"; private int qty = 2; public String show() { return qty + " of " + id; } }
