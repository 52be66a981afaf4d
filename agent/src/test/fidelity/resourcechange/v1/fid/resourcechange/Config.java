package fid.resourcechange;
import java.util.Properties;
public class Config {
    public static String get(String k) throws java.io.IOException {
        Properties p = new Properties();
        try (var in = Config.class.getResourceAsStream("app.properties")) { p.load(in); }
        return p.getProperty(k);
    }
}
