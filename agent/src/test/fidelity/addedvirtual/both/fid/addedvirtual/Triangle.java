package fid.addedvirtual;
public class Triangle extends Shape { public int area() { return 5; } }
