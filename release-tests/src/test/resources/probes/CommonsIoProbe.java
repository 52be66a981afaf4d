package probes;

import org.apache.commons.io.FilenameUtils;

/** P10, CVE-2021-29425: '..' taken as a UNC host name, so normalize lets a path climb out. */
public class CommonsIoProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        return String.valueOf(FilenameUtils.normalize(in));
    }
}
