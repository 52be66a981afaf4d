package io.livepatch4j.patch.build;

import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a build as it is deployed: a jar (plain or shaded), a Spring Boot executable jar or WAR, a
 * WAR, a directory of jars, a folder of classes, or a class path of those. Its classes, in class path
 * order (the first copy of a class is the one the JVM loads; later copies are kept as duplicates),
 * its other files (resources, compared by SHA-256), and the libraries nested in it, known by their
 * artifact identity so that an upgraded library is paired with the one it replaces. Every read is
 * bounded: a build that exceeds a limit is refused with a message, never an OutOfMemoryError.
 */
public final class Builds {

    /** A class file or resource larger than this is refused (the largest javac writes are a few MB). */
    public static final long MAX_ENTRY_BYTES = 64L << 20;
    /** A nested jar (BOOT-INF/lib, WEB-INF/lib) larger than this, uncompressed, is refused. */
    public static final long MAX_NESTED_JAR_BYTES = 512L << 20;
    /**
     * All class files of one build together, and the other files kept whole (module-info, package-info,
     * multi-release versions), held in memory to compare; lp4j holds two builds. The largest real
     * builds here (a 15k-class Spring Boot jar) hold well under a tenth of it.
     */
    public static final long MAX_CLASS_BYTES = 512L << 20;
    /** Entries of one build, nested jars' entries included. */
    public static final int MAX_ENTRIES = 1_000_000;

    /**
     * A build's class files ({@code com.acme.Foo}) and resources ({@code com/acme/app.properties}, or
     * {@code [group:artifact]!/path} for a nested library's); {@code origins} says where each class
     * was found, {@code libraries} lists the nested jars and {@code duplicates} the classes found in
     * more than one place (the first origin is the copy the JVM loads). A resource's value is its
     * content or, when read from an artifact, the content's SHA-256: only equality matters.
     */
    public record Build(Map<String, byte[]> classes, Map<String, byte[]> resources, Map<String, String> origins,
                        List<Library> libraries, List<Duplicate> duplicates) {

        public Build(Map<String, byte[]> classes, Map<String, byte[]> resources) {
            this(classes, resources, Map.of(), List.of(), List.of());
        }

        /** A build known only by its class files. */
        public static Build ofClasses(Map<String, byte[]> classes) {
            return new Build(classes, Map.of());
        }
    }

    /**
     * A jar nested in the build (or one element of a class path): where it is, its identity
     * ({@code groupId:artifactId} from its Maven pom.properties, else its file name without the
     * version), its version when known, and how many classes it holds.
     */
    public record Library(String location, String identity, String version, int classes) {
    }

    /** A class found in more than one place; {@code origins.get(0)} is the one the JVM loads. */
    public record Duplicate(String className, List<String> origins, boolean sameBytes) {
    }

    /**
     * A nested library of OLD paired with NEW's by identity (not file name: an upgrade renames the
     * jar). {@code status}: "upgraded" (its location or version differs), "same", "added", "removed".
     */
    public record LibraryPair(String identity, Library before, Library after, String status) {

        /** One line: {@code com.acme:lib 1.0 -> 1.1 (BOOT-INF/lib/lib-1.0.jar -> BOOT-INF/lib/lib-1.1.jar)}. */
        public String describe() {
            return switch (status) {
                case "added" -> identity + " " + version(after) + " added (" + after.location() + ")";
                case "removed" -> identity + " " + version(before) + " removed (" + before.location() + ")";
                default -> identity + " " + version(before) + " -> " + version(after) + " (" + before.location()
                    + (before.location().equals(after.location()) ? "" : " -> " + after.location()) + ")";
            };
        }

        private static String version(Library l) {
            return l.version() == null ? "(no version)" : l.version();
        }
    }

    private Builds() {}

    /** The nested libraries of two builds paired by identity, OLD's order first. */
    public static List<LibraryPair> pair(Build before, Build after) {
        Map<String, Library> newById = new LinkedHashMap<>();
        after.libraries().forEach(l -> newById.putIfAbsent(l.identity(), l));
        List<LibraryPair> pairs = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Library l : before.libraries()) {
            if (!seen.add(l.identity())) {
                continue;
            }
            Library n = newById.get(l.identity());
            pairs.add(new LibraryPair(l.identity(), l, n, n == null ? "removed"
                : n.location().equals(l.location()) && java.util.Objects.equals(n.version(), l.version()) ? "same" : "upgraded"));
        }
        for (Library l : after.libraries()) {
            if (seen.add(l.identity())) {
                pairs.add(new LibraryPair(l.identity(), null, l, "added"));
            }
        }
        return pairs;
    }

    /** Binary class names to bytes; module-info and multi-release versions are skipped. */
    public static Map<String, byte[]> read(Path build) throws IOException {
        return readBuild(build).classes();
    }

    /** The build's classes and resources. */
    public static Build readBuild(Path build) throws IOException {
        return readArtifact(build.toString());
    }

    /**
     * Reads a deployed artifact, or a class path of them ({@code a.jar:b.jar:dir}, separated by
     * {@link File#pathSeparator}) in class path order.
     */
    public static Build readArtifact(String spec) throws IOException {
        Reader reader = new Reader();
        List<String> elements = Files.exists(Path.of(spec)) || !spec.contains(File.pathSeparator)
            ? List.of(spec) : List.of(spec.split(Pattern.quote(File.pathSeparator)));
        for (String element : elements) {
            Path p = Path.of(element);
            if (!element.isEmpty() && !Files.exists(p)) {
                throw new IOException(elements.size() > 1
                    ? "the class path element " + p + " (of " + spec + ") does not exist; give existing jars or folders"
                    : p + " does not exist; give a jar, a WAR, a Spring Boot jar, a folder of classes or jars, or a class path");
            }
        }
        for (String element : elements) {
            if (element.isEmpty()) {
                continue;
            }
            Path p = Path.of(element);
            if (Files.isDirectory(p)) {
                reader.readDirectory(p, elements.size() > 1 ? p.toString() : "");
            } else if (elements.size() > 1) {
                // A jar on a class path is a library like a nested one: known by its identity.
                requireZip(p);
                try (InputStream in = Files.newInputStream(p)) {
                    reader.nestedJar(in, p.toString(), p.toString());
                }
            } else {
                reader.readTopJar(p, elements.size() > 1 ? p.toString() : "");
            }
        }
        if (reader.classes.isEmpty()) {
            throw new IOException(spec + " holds no class files; give a jar, a WAR, a Spring Boot jar, a folder of "
                + "compiled classes or of jars, or a class path");
        }
        List<Duplicate> duplicates = new ArrayList<>();
        reader.copies.forEach((name, origins) -> {
            if (origins.size() > 1) {
                duplicates.add(new Duplicate(name, List.copyOf(origins), reader.allSame.getOrDefault(name, true)));
            }
        });
        return new Build(reader.classes, reader.resources, reader.origins, List.copyOf(reader.libraries), duplicates);
    }

    /** The state of one read: what was found so far, and the counters the limits apply to. */
    private static final class Reader {
        final Map<String, byte[]> classes = new TreeMap<>();
        final Map<String, byte[]> resources = new TreeMap<>();
        final Map<String, String> origins = new TreeMap<>();
        final Map<String, List<String>> copies = new TreeMap<>();
        final Map<String, Boolean> allSame = new TreeMap<>();
        final List<Library> libraries = new ArrayList<>();
        long classBytes;
        int entries;

        void readDirectory(Path dir, String label) throws IOException {
            String prefix = label.isEmpty() ? "" : label + "/";
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
            }
            Layout layout = Layout.of(files.stream().map(f -> dir.relativize(f).toString().replace('\\', '/')).toList());
            // Class folders first, then jars in class path order: the order the launcher uses.
            List<Path> jars = new ArrayList<>();
            for (Path f : files) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                if (layout.isLibrary(rel) || (layout == Layout.PLAIN && rel.endsWith(".jar"))) {
                    jars.add(f);
                    continue;
                }
                count(rel);
                if (Files.size(f) > MAX_ENTRY_BYTES) {
                    throw tooLarge(dir + "/" + rel, Files.size(f), MAX_ENTRY_BYTES);
                }
                try (InputStream in = Files.newInputStream(f)) {
                    entry(layout, rel, in, prefix + rel, dir.toString());
                }
            }
            Map<String, Integer> indexed = new LinkedHashMap<>();
            for (String idx : List.of("BOOT-INF/classpath.idx", "WEB-INF/classpath.idx")) {
                if (Files.isRegularFile(dir.resolve(idx))) {
                    indexed = classPathIndex(new String(Files.readAllBytes(dir.resolve(idx)), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            Map<String, Integer> order = indexed;
            List<Path> ordered = new ArrayList<>(layout.order(jars, j -> dir.relativize(j).toString().replace('\\', '/')));
            ordered.sort(Comparator.comparing(j -> order.getOrDefault(dir.relativize(j).toString().replace('\\', '/'),
                Integer.MAX_VALUE)));
            for (Path jar : ordered) {
                String rel = dir.relativize(jar).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(jar)) {
                    nestedJar(in, prefix + rel, dir + "/" + rel);
                }
            }
        }

        void readTopJar(Path jar, String label) throws IOException {
            requireZip(jar);
            String where = label.isEmpty() ? "" : label + "!/";
            // ZipFile reads the central directory, so each nested jar is read once, where it is,
            // instead of scanning the archive again for each (a Spring Boot jar holds hundreds).
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                List<ZipEntry> all = new ArrayList<>();
                String index = null;
                for (java.util.Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    all.add(e);
                    if (all.size() > MAX_ENTRIES) {
                        throw new IOException("refused: " + jar + " has more than " + MAX_ENTRIES + " entries; it is not "
                            + "a build lp4j reads");
                    }
                    if (e.getName().equals("BOOT-INF/classpath.idx") || e.getName().equals("WEB-INF/classpath.idx")) {
                        try (InputStream in = zip.getInputStream(e)) {
                            index = new String(bounded(in, MAX_ENTRY_BYTES, jar + "!/" + e.getName()),
                                java.nio.charset.StandardCharsets.UTF_8);
                        }
                    }
                }
                Layout layout = Layout.of(all.stream().map(ZipEntry::getName).toList());
                Map<String, Integer> order = index == null ? Map.of() : classPathIndex(index);
                // Classes outside nested jars first (their loader comes first), then the nested jars in
                // class path order: classpath.idx when there is one, else as stored.
                List<ZipEntry> libs = new ArrayList<>();
                for (ZipEntry e : all) {
                    if (e.isDirectory()) {
                        continue;
                    }
                    if (layout.isLibrary(e.getName())) {
                        libs.add(e);
                        continue;
                    }
                    count(e.getName());
                    try (InputStream in = zip.getInputStream(e)) {
                        entry(layout, e.getName(), in, where + e.getName(), jar.toString());
                    }
                }
                libs.sort(Comparator.comparing(e -> order.getOrDefault(e.getName(), Integer.MAX_VALUE)));
                for (ZipEntry lib : libs) {
                    try (InputStream in = zip.getInputStream(lib)) {
                        nestedJar(in, where + lib.getName(), jar + "!/" + lib.getName());
                    }
                }
            } catch (IOException ex) {
                throw unreadable(jar, ex);
            }
        }

        /** A jar inside the build: its classes and resources, under its identity. */
        void nestedJar(InputStream raw, String location, String shown) throws IOException {
            Map<String, byte[]> jarClasses = new LinkedHashMap<>();
            Map<String, byte[]> jarResources = new LinkedHashMap<>();
            List<Properties> poms = new ArrayList<>();
            try (ZipInputStream zip = new ZipInputStream(new Limited(raw, MAX_NESTED_JAR_BYTES, shown))) {
                ZipEntry e;
                int seen = 0;
                while ((e = zip.getNextEntry()) != null) {
                    seen++;
                    if (e.isDirectory()) {
                        continue;
                    }
                    count(shown + "!/" + e.getName());
                    String name = e.getName();
                    if (isClass(name)) {
                        byte[] bytes = bounded(zip, MAX_ENTRY_BYTES, shown + "!/" + name);
                        jarClasses.put(name, bytes);
                    } else {
                        byte[] bytes = bounded(zip, MAX_ENTRY_BYTES, shown + "!/" + name);
                        if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
                            Properties p = new Properties();
                            p.load(new java.io.ByteArrayInputStream(bytes));
                            poms.add(p);
                        }
                        jarResources.put(name, sha256(bytes));
                    }
                }
                if (seen == 0) {
                    throw new IOException("it holds no zip entries");
                }
            } catch (IOException ex) {
                if (ex.getMessage() != null && ex.getMessage().startsWith("refused:")) {
                    throw ex;
                }
                throw new IOException(shown + " is not a readable jar (" + ex.getMessage() + ")", ex);
            }
            String file = location.substring(location.lastIndexOf('/') + 1);
            String[] id = identity(file, poms);
            libraries.add(new Library(location, id[0], id[1], jarClasses.size()));
            for (Map.Entry<String, byte[]> c : jarClasses.entrySet()) {
                addClass(c.getKey(), c.getValue(), location, "[" + id[0] + "]!/");
            }
            jarResources.forEach((path, digest) -> resources.putIfAbsent("[" + id[0] + "]!/" + path, digest));
        }

        /** One file outside nested jars: a class under a class root, or a resource. */
        void entry(Layout layout, String name, InputStream in, String shown, String container)
            throws IOException {
            byte[] bytes = bounded(in, MAX_ENTRY_BYTES, container + "!/" + name);
            String root = layout.classRoot(name);
            if (root != null && isClass(name)) {
                addClass(name.substring(root.length()), bytes, shown.substring(0, shown.length() - name.length())
                    + (root.isEmpty() ? "" : root), "");
            } else if (root != null || layout == Layout.PLAIN) {
                // A resource on the class path (under a class root); keyed as the class loader finds it.
                String key = root == null ? name : name.substring(root.length());
                if (isClass(name)) {
                    // module-info, package-info, META-INF/versions/: compared as files, so a difference is reported
                    if (!resources.containsKey(key)) {
                        hold(bytes.length);
                    }
                    resources.putIfAbsent(key, bytes);
                } else {
                    resources.putIfAbsent(key, sha256(bytes));
                }
            } else {
                // Outside every class root of the layout (a WAR's static files, the jar's own manifest):
                // not loaded as classes, compared as files.
                resources.putIfAbsent(name, sha256(bytes));
            }
        }

        void addClass(String entry, byte[] bytes, String origin, String resourcePrefix) throws IOException {
            if (entry.startsWith("META-INF/") || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
                // Not classes a patch changes (package annotations, module descriptors, versions of a
                // multi-release jar): compared as files, so that a difference is reported, not lost.
                if (!resources.containsKey(resourcePrefix + entry)) {
                    hold(bytes.length);
                }
                resources.putIfAbsent(resourcePrefix + entry, bytes);
                return;
            }
            String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
            String where = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
            List<String> seen = copies.computeIfAbsent(name, n -> new ArrayList<>());
            seen.add(where.isEmpty() ? "the top level" : where);
            if (classes.containsKey(name)) {
                if (!java.util.Arrays.equals(classes.get(name), bytes)) {
                    allSame.put(name, false);
                }
                return; // the first in class path order is the one the JVM loads
            }
            hold(bytes.length);
            classes.put(name, bytes);
            origins.put(name, where);
        }

        /** Counts bytes the read keeps in memory (class files, files kept whole) against the limit. */
        void hold(long n) throws IOException {
            classBytes += n;
            if (classBytes > MAX_CLASS_BYTES) {
                throw new IOException("refused: the build's class files exceed " + (MAX_CLASS_BYTES >> 20) + " MB together; "
                    + "give the part of the deployment the fix is in (the library's jar, or a class path of fewer jars)");
            }
        }

        void count(String what) throws IOException {
            if (++entries > MAX_ENTRIES) {
                throw new IOException("refused: the build has more than " + MAX_ENTRIES + " entries (at " + what + "); "
                    + "it is not a build lp4j reads");
            }
        }
    }

    /** Where classes live in an archive or folder, by its layout. */
    private enum Layout {
        PLAIN(List.of(""), List.of()),
        BOOT_JAR(List.of("BOOT-INF/classes/", ""), List.of("BOOT-INF/lib/")),
        WAR(List.of("WEB-INF/classes/", ""), List.of("WEB-INF/lib/", "WEB-INF/lib-provided/"));

        private final List<String> classRoots;
        private final List<String> libraryDirs;

        Layout(List<String> classRoots, List<String> libraryDirs) {
            this.classRoots = classRoots;
            this.libraryDirs = libraryDirs;
        }

        static Layout of(List<String> names) {
            for (String n : names) {
                if (n.startsWith("BOOT-INF/")) {
                    return BOOT_JAR;
                }
            }
            for (String n : names) {
                if (n.startsWith("WEB-INF/")) {
                    return WAR;
                }
            }
            return PLAIN;
        }

        boolean isLibrary(String name) {
            if (!name.endsWith(".jar")) {
                return false;
            }
            for (String dir : libraryDirs) {
                if (name.startsWith(dir) && name.indexOf('/', dir.length()) < 0) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The class root {@code name} is under, or null. In a boot jar or WAR the launcher's classes sit
         * at the top (Spring Boot's loader); other top-level files of a WAR are web content, not classes.
         */
        String classRoot(String name) {
            for (String root : classRoots) {
                if (!root.isEmpty() && name.startsWith(root)) {
                    return root;
                }
            }
            if (this == PLAIN) {
                return "";
            }
            return name.startsWith("BOOT-INF/") || name.startsWith("WEB-INF/") || !name.endsWith(".class") ? null : "";
        }

        <T> List<T> order(List<T> jars, java.util.function.Function<T, String> name) {
            List<T> sorted = new ArrayList<>(jars);
            sorted.sort(Comparator.comparing(j -> {
                String n = name.apply(j);
                int dir = 0;
                for (int i = 0; i < libraryDirs.size(); i++) {
                    if (n.startsWith(libraryDirs.get(i))) {
                        dir = i;
                    }
                }
                return dir + ":" + n;
            }));
            return sorted;
        }
    }

    private static final Pattern VERSIONED = Pattern.compile("^(.+?)-(\\d[^-]*(?:-.*)?)\\.jar$");

    /** {identity, version}: groupId:artifactId from pom.properties, else the file name without its version. */
    static String[] identity(String fileName, List<Properties> poms) {
        Matcher m = VERSIONED.matcher(fileName);
        String stem = m.matches() ? m.group(1) : fileName.replaceAll("\\.jar$", "");
        String version = m.matches() ? m.group(2) : null;
        Properties best = null;
        for (Properties p : poms) {
            // A shaded jar holds the pom.properties of every library in it: take its own.
            if (best == null || stem.equals(p.getProperty("artifactId"))) {
                best = p;
            }
        }
        if (best != null && best.getProperty("groupId") != null && best.getProperty("artifactId") != null
            && (poms.size() == 1 || stem.equals(best.getProperty("artifactId")))) {
            return new String[] {best.getProperty("groupId") + ":" + best.getProperty("artifactId"),
                best.getProperty("version", version)};
        }
        return new String[] {stem, version};
    }

    /** Spring Boot's classpath.idx: {@code - "BOOT-INF/lib/a.jar"} lines, in class path order. */
    private static Map<String, Integer> classPathIndex(String index) {
        Map<String, Integer> order = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"([^\"]+\\.jar)\"").matcher(index);
        while (m.find()) {
            order.putIfAbsent(m.group(1), order.size());
        }
        return order;
    }

    private static boolean isClass(String name) {
        return name.endsWith(".class");
    }

    private static void requireZip(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new IOException(file + " cannot be read (" + e.getMessage() + ")", e);
        }
        if (n < 4 || head[0] != 'P' || head[1] != 'K') {
            throw new IOException(file + " is not a jar, WAR or zip file (it does not start with a zip header); give a "
                + "jar, a WAR, a Spring Boot jar, a folder of classes or jars, or a class path");
        }
    }

    private static IOException unreadable(Path jar, IOException ex) {
        String m = ex.getMessage();
        return m != null && (m.startsWith("refused:") || m.contains(" is not a readable jar")) ? ex
            : new IOException(jar + " is not a readable jar (" + ex.getMessage() + ")", ex);
    }

    private static IOException tooLarge(String what, long size, long limit) {
        return new IOException("refused: " + what + " is larger than " + (limit >> 20) + " MB (" + size + " bytes); "
            + "lp4j does not read entries that large; give the part of the deployment the fix is in");
    }

    /** The rest of {@code in}, refused past {@code limit} bytes whatever the entry's header claims. */
    static byte[] bounded(InputStream in, long limit, String what) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                throw tooLarge(what, total, limit);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stream that refuses to give more than {@code limit} bytes (a nested jar's uncompressed size). */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private final String what;
        private long read;

        Limited(InputStream in, long limit, String what) {
            super(in);
            this.limit = limit;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > limit) {
                throw tooLarge(what, read, limit);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (read += n) > limit) {
                throw tooLarge(what, read, limit);
            }
            return n;
        }

        @Override
        public void close() {
            // the outer archive's stream stays open: it is closed by its owner
        }
    }
}
