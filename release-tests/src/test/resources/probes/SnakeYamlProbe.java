package probes;

import org.yaml.snakeyaml.Yaml;

/** P5, CVE-2022-25857: collections nested without limit. */
public class SnakeYamlProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        try {
            Object o = new Yaml().load(in);
            return "parsed " + (o == null ? "null" : o.getClass().getSimpleName());
        } catch (RuntimeException e) {
            return "ERROR " + e;
        }
    }
}
