package fid.addedsuper;
public class Outer { public static String ant() { return new Ant().hi(); } public static String shape() { return Shape.area(new Sq(3)) + "," + Shape.area(new Circle(1)); } }
