package probes;

import org.apache.commons.configuration2.PropertiesConfiguration;

import java.io.StringReader;

/** P14, CVE-2022-33980: a property's value is interpolated with the url:, dns: and script: lookups. */
public class ConfigurationProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        try {
            PropertiesConfiguration config = new PropertiesConfiguration();
            config.read(new StringReader("a=" + in.replace("\\", "\\\\")));
            return config.getString("a");
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }
}
