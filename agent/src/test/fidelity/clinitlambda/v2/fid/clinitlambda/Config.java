package fid.clinitlambda;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
public class Config {
    public static final List<String> NAMES = Stream.of("Ab", "Cd").map(s -> s.toLowerCase() + "!").collect(Collectors.toList());
    public static final int LIMIT = load();
    static int load() { return parse("7") + 1; }
    static int parse(String s) { return Integer.parseInt(s) * 10; }
    static String norm(String s) { return s; }
}
