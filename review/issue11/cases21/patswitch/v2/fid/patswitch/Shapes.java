package fid.patswitch;
public class Shapes {
    public static String describe(Shape s) {
        return switch (s) { case Circle c when c.r() > 10 -> "big circle"; case Circle(int r) -> "circle " + r; case Square q -> "square " + q.side(); case null -> "nothing"; };
    }
    public static String kind(Kind k) {
        return switch (k) { case C -> "c"; case A -> "a"; case null -> "null!"; default -> "other"; };
    }
}
