package fid.addedvirtual;
public class Square extends Shape implements Kind { public int area() { return 4; } }
