package fid.lambdaswap;
import java.util.function.IntUnaryOperator;
public class Pick { public static IntUnaryOperator pick(boolean inc) { return inc ? x -> x * 2 : x -> x + 1; } }
