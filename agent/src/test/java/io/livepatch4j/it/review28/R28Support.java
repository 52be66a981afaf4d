package io.livepatch4j.it.review28;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.patch.Patch;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers for the review 28 tests: loaders and an apply on a thread that shares its work, as lp4j's request threads do. */
final class R28Support {

    private R28Support() {}

    /** The thread names that defined classes through the loaders below (to prove the helpers loaded). */
    static final Set<String> DEFINERS = ConcurrentHashMap.newKeySet();
    /** Class name to the thread that defined it, with the time (ms from the first definition) it started. */
    static final java.util.Map<String, String> DEFINED_BY = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final long T0 = System.nanoTime();

    /**
     * Applies {@code patch} on a fresh daemon thread that first calls ApplyWorkers.shareOnThisThread
     * (as the agent's control channel does for lp4j's requests), so deferred classes are loaded on helpers.
     */
    static CompletableFuture<ApplyResult> applySharing(Patch patch, String threadName) {
        CompletableFuture<ApplyResult> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                java.lang.reflect.Method share = Class.forName("io.livepatch4j.agent.tooling.ApplyWorkers")
                    .getDeclaredMethod("shareOnThisThread");
                share.setAccessible(true);
                share.invoke(null);
                result.complete(LivePatch.apply(patch, Strategy.LOCAL));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** The result, or null after {@code seconds} (the apply still runs). */
    static ApplyResult await(CompletableFuture<ApplyResult> f, int seconds) throws Exception {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    /** The JVM's monitor/ownable-synchronizer deadlocks, with stacks, or "" if none. */
    static String deadlocks() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (ThreadInfo i : mx.getThreadInfo(ids, true, true)) {
            b.append('"').append(i.getThreadName()).append("\" waits for ").append(i.getLockName())
                .append(" held by \"").append(i.getLockOwnerName()).append("\"\n");
            StackTraceElement[] st = i.getStackTrace();
            for (int k = 0; k < Math.min(st.length, 14); k++) {
                b.append("    at ").append(st[k]).append('\n');
            }
        }
        return b.toString();
    }

    /** Names of live threads starting with {@code prefix}. */
    static List<String> threads(String prefix) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(prefix)) {
                names.add(t.getName());
            }
        }
        Collections.sort(names);
        return names;
    }

    /**
     * A plug-in host's loader (not parallel capable, so the JVM and ClassLoader.loadClass lock the
     * loader itself): it defines the classes of its own package from a folder, asks its peer for the
     * peer's package (a plug-in importing another's package, cyclically), and its parent for the rest.
     * Its resources are its own package's, and the peer's "Base" classes (an import).
     */
    static final class PeerLoader extends ClassLoader {
        final Path dir;
        final String own;
        volatile PeerLoader peer;
        final Set<String> slow = ConcurrentHashMap.newKeySet();

        PeerLoader(String name, Path dir, String ownPackage, ClassLoader parent) {
            super(name, parent);
            this.dir = dir;
            this.own = ownPackage + ".";
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    if (name.startsWith(own) && name.indexOf('.', own.length()) < 0) {
                        c = findClass(name);
                    } else if (peer != null && name.startsWith(peer.own) && name.indexOf('.', peer.own.length()) < 0) {
                        c = peer.loadClass(name);
                    } else {
                        return super.loadClass(name, resolve);
                    }
                }
                return c;
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                byte[] b = Files.readAllBytes(dir.resolve(name.replace('.', '/') + ".class"));
                if (slow.contains(name)) {
                    Thread.sleep(1500); // reading a big jar, say: long enough for another thread to start loading
                }
                DEFINERS.add(Thread.currentThread().getName());
                return defineClass(name, b, 0, b.length);
            } catch (java.io.IOException e) {
                throw new ClassNotFoundException(name, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        protected URL findResource(String name) {
            String dotted = name.endsWith(".class") ? name.substring(0, name.length() - 6).replace('/', '.') : name;
            if (dotted.startsWith(own)) {
                return file(name);
            }
            if (peer != null && dotted.startsWith(peer.own) && dotted.contains("Base")) {
                return peer.file(name);
            }
            return null;
        }

        URL file(String name) {
            Path f = dir.resolve(name);
            try {
                return Files.exists(f) ? f.toUri().toURL() : null;
            } catch (java.net.MalformedURLException e) {
                return null;
            }
        }

        @Override
        protected java.util.Enumeration<URL> findResources(String name) {
            URL u = findResource(name);
            return Collections.enumeration(u == null ? List.of() : List.of(u));
        }
    }

    /** A child-first loader over one folder for the classes of one package; what it does besides depends on the subclass. */
    abstract static class OwnLoader extends ClassLoader {
        static {
            registerAsParallelCapable(); // so that the subclasses can be (every superclass must be)
        }

        final Path dir;
        final String own;
        final Set<String> slow = ConcurrentHashMap.newKeySet();
        /** Classes defined from these bytes, not from the class file it lists as a resource. */
        final java.util.Map<String, byte[]> substitute = new ConcurrentHashMap<>();

        OwnLoader(String name, Path dir, String ownPackage, ClassLoader parent) {
            super(name, parent);
            if (!isRegisteredAsParallelCapable()) {
                throw new IllegalStateException(getClass() + " should be parallel capable");
            }
            this.dir = dir;
            this.own = ownPackage + ".";
        }

        boolean mine(String name) {
            return name.startsWith(own) && name.indexOf('.', own.length()) < 0;
        }

        Class<?> define(String name) throws ClassNotFoundException {
            try {
                byte[] b = substitute.containsKey(name) ? substitute.get(name)
                    : Files.readAllBytes(dir.resolve(name.replace('.', '/') + ".class"));
                if (slow.contains(name)) {
                    Thread.sleep(1500);
                }
                DEFINERS.add(Thread.currentThread().getName());
                DEFINED_BY.merge(name.substring(name.lastIndexOf('.') + 1), Thread.currentThread().getName() + "@"
                    + (System.nanoTime() - T0) / 1_000_000, (x, y) -> x + "," + y);
                return defineClass(name, b, 0, b.length);
            } catch (java.io.IOException e) {
                throw new ClassNotFoundException(name, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        protected URL findResource(String name) {
            Path f = dir.resolve(name);
            String dotted = name.endsWith(".class") ? name.substring(0, name.length() - 6).replace('/', '.') : name;
            try {
                return mine(dotted) && Files.exists(f) ? f.toUri().toURL() : null;
            } catch (java.net.MalformedURLException e) {
                return null;
            }
        }

        @Override
        protected java.util.Enumeration<URL> findResources(String name) {
            URL u = findResource(name);
            return Collections.enumeration(u == null ? List.of() : List.of(u));
        }
    }

    /**
     * Parallel capable, with ClassLoader's per-name locks in loadClass (child first for its package),
     * and a findClass that is synchronized on the loader (its own cache, say).
     */
    static final class ParallelSyncFindLoader extends ParallelLoader {
        static {
            registerAsParallelCapable();
        }

        ParallelSyncFindLoader(String name, Path dir, String ownPackage, ClassLoader parent) {
            super(name, dir, ownPackage, parent);
        }

        @Override
        protected synchronized Class<?> findClass(String name) throws ClassNotFoundException {
            return super.findClass(name);
        }
    }

    /** Parallel capable, child first, with no lock at all in loadClass (it trusts findLoadedClass). */
    static final class ParallelUnlockedLoader extends OwnLoader {
        static {
            registerAsParallelCapable();
        }

        ParallelUnlockedLoader(String name, Path dir, String ownPackage, ClassLoader parent) {
            super(name, dir, ownPackage, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            Class<?> c = findLoadedClass(name);
            if (c == null && mine(name)) {
                c = findClass(name);
            }
            return c != null ? c : super.loadClass(name, resolve);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            return define(name);
        }
    }

    /** Parallel capable, child first for its package, with ClassLoader's per-name locks (a correct loader). */
    static class ParallelLoader extends OwnLoader {
        static {
            registerAsParallelCapable();
        }

        ParallelLoader(String name, Path dir, String ownPackage, ClassLoader parent) {
            super(name, dir, ownPackage, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && mine(name)) {
                    c = findClass(name);
                }
                return c != null ? c : super.loadClass(name, resolve);
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            return define(name);
        }
    }
}
