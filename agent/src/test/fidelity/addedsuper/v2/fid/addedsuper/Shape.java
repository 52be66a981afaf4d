package fid.addedsuper;
sealed interface Shape permits Sq, Circle { static int area(Shape s) { return s instanceof Sq q ? q.side() * q.side() : -1; } }
record Sq(int side) implements Shape { }
record Circle(int r) implements Shape { }
