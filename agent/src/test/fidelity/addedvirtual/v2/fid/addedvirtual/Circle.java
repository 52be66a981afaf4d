package fid.addedvirtual;
public class Circle extends Shape implements Kind { public int area() { return 3; } public String label() { return "circle/" + super.label(); } public String extra() { return "circle-extra"; } }
