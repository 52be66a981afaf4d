package fid.sealedpermits;
public class Area {
    public static String of(String kind) {
        Shape s = kind.equals("circle") ? new Circle() : new Square();
        return s instanceof Square q ? String.valueOf(q.side * q.side) : "3";
    }
}
