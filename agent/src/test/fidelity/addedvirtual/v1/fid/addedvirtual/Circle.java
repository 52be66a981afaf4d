package fid.addedvirtual;
public class Circle extends Shape implements Kind { public int area() { return 3; } }
