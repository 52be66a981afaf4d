package fid.lambdaadded;
import java.util.List;
public class Names {
    public static String join(List<String> xs) { return String.join(",", xs); }
}
