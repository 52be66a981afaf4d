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

/**
 * Reads a build (a jar or a folder of class files): its classes, as class name to class file bytes,
 * and its other files (resources), as path to bytes, which a patch cannot carry but must report.
 */
public final class Builds {

    /** A build's class files ({@code com.acme.Foo}) and resources ({@code com/acme/app.properties}). */
    public record Build(Map<String, byte[]> classes, Map<String, byte[]> resources) {

        /** A build known only by its class files. */
        public static Build ofClasses(Map<String, byte[]> classes) {
            return new Build(classes, Map.of());
        }
    }

    private Builds() {}

    /** Binary class names to bytes; module-info and multi-release versions are skipped. */
    public static Map<String, byte[]> read(Path build) throws IOException {
        return readBuild(build).classes();
    }

    /** The build's classes and resources. */
    public static Build readBuild(Path build) throws IOException {
        if (!Files.exists(build)) {
            throw new IOException(build + " does not exist; give a jar or a folder of class files");
        }
        Map<String, byte[]> classes = new TreeMap<>();
        Map<String, byte[]> resources = new TreeMap<>();
        if (Files.isDirectory(build)) {
            try (Stream<Path> files = Files.walk(build)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    add(classes, resources, build.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(build); ZipInputStream zip = new ZipInputStream(in)) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    if (!e.isDirectory()) {
                        add(classes, resources, e.getName(), zip.readAllBytes());
                    }
                }
            } catch (IOException ex) {
                throw new IOException(build + " is not a readable jar (" + ex.getMessage() + ")", ex);
            }
        }
        if (classes.isEmpty()) {
            throw new IOException(build + " holds no class files; give a jar or a folder of compiled classes");
        }
        return new Build(classes, resources);
    }

    private static void add(Map<String, byte[]> classes, Map<String, byte[]> resources, String entry, byte[] bytes) {
        if (!entry.endsWith(".class")) {
            resources.put(entry, bytes);
            return;
        }
        if (entry.startsWith("META-INF/") || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
            // Not classes a patch changes (package annotations, module descriptors, versions of a
            // multi-release jar): compared as files, so that a difference is reported, not lost.
            resources.put(entry, bytes);
            return;
        }
        classes.put(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'), bytes);
    }
}
