package fid.lambdabody;
import java.util.function.IntUnaryOperator;
public class Ops { public static IntUnaryOperator scale() { return x -> x * 2; } }
