package fid.addedvirtual;
public class Shape { public int area() { return 0; } public String label() { return "shape"; } }
