package fid.lambdaadded;
import java.util.List;
import java.util.stream.Collectors;
public class Names {
    public static String join(List<String> xs) { return xs.stream().map(x -> x.toUpperCase()).collect(Collectors.joining(",")); }
}
