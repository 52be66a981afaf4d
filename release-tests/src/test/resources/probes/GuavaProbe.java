package probes;

import java.io.File;
import java.nio.file.attribute.PosixFilePermissions;

/** P13, CVE-2023-2976: Files.createTempDir() makes a directory others can read. Input "create" makes one. */
public class GuavaProbe implements java.util.function.Function<String, String> {
    @Override
    @SuppressWarnings("deprecation")
    public String apply(String in) {
        if (!in.equals("create")) {
            return com.google.common.base.Ascii.toLowerCase("OK");
        }
        File dir = com.google.common.io.Files.createTempDir();
        try {
            return PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(dir.toPath()));
        } catch (java.io.IOException e) {
            return "ERROR " + e;
        } finally {
            dir.delete();
        }
    }
}
