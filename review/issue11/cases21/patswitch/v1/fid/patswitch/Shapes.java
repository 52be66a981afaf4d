package fid.patswitch;
public class Shapes {
    public static String describe(Shape s) {
        return switch (s) { case Circle c -> "circle " + c.r(); case Square q -> "square " + q.side(); case null -> "none"; };
    }
    public static String kind(Kind k) {
        return switch (k) { case A -> "a"; case B -> "b"; case null -> "null"; default -> "other"; };
    }
}
