package io.livepatch4j.patch.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Reads a build (a jar or a folder of class files) as class name to class file bytes. */
public final class Builds {

    private Builds() {}

    /** Binary class names ({@code com.acme.Foo}) to bytes; module-info and multi-release versions are skipped. */
    public static Map<String, byte[]> read(Path build) throws IOException {
        if (!Files.exists(build)) {
            throw new IOException(build + " does not exist; give a jar or a folder of class files");
        }
        Map<String, byte[]> classes = new TreeMap<>();
        if (Files.isDirectory(build)) {
            try (Stream<Path> files = Files.walk(build)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    add(classes, build.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(build); ZipInputStream zip = new ZipInputStream(in)) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    if (!e.isDirectory() && e.getName().endsWith(".class")) {
                        add(classes, e.getName(), zip.readAllBytes());
                    }
                }
            } catch (IOException ex) {
                throw new IOException(build + " is not a readable jar (" + ex.getMessage() + ")", ex);
            }
        }
        if (classes.isEmpty()) {
            throw new IOException(build + " holds no class files; give a jar or a folder of compiled classes");
        }
        return classes;
    }

    private static void add(Map<String, byte[]> classes, String entry, byte[] bytes) {
        if (entry.startsWith("META-INF/") || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
            return;
        }
        classes.put(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'), bytes);
    }
}
