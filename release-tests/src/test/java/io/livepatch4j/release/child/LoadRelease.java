package io.livepatch4j.release.child;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM a release patch is applied to: it runs the old release (its jar and deps on the class
 * path) and loads every class the patch changes, initialized where the class lets itself be (a
 * class that needs an optional dependency the corpus does not fetch may not), so that the patch
 * meets the classes as a server that uses the library would have them. Prints what it loaded and
 * "READY pid=P", then waits to be patched and killed.
 *
 * <p>Argument: a file with one binary class name a line.
 */
public final class LoadRelease {

    private LoadRelease() {}

    public static void main(String[] args) throws Exception {
        List<String> names = Files.readAllLines(Path.of(args[0]));
        ClassLoader loader = LoadRelease.class.getClassLoader();
        int initialized = 0;
        List<String> loadedOnly = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            if (name.isBlank()) {
                continue;
            }
            try {
                Class.forName(name, true, loader);
                initialized++;
            } catch (Throwable initFailed) {
                try {
                    Class.forName(name, false, loader);
                    loadedOnly.add(name + " (" + initFailed + ")");
                } catch (Throwable loadFailed) {
                    failed.add(name + " (" + loadFailed + ")");
                }
            }
        }
        System.out.println("LOADED initialized=" + initialized + " loadedOnly=" + loadedOnly.size() + " failed=" + failed.size());
        loadedOnly.forEach(n -> System.out.println("LOADED-NOT-INITIALIZED " + n));
        failed.forEach(n -> System.out.println("NOT-LOADED " + n));
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();
        while (true) {
            Thread.sleep(60_000);
        }
    }
}
