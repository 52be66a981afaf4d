package io.livepatch4j.bench.bigpatch;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A second, tiny agent of the workload JVM (its jar holds only a manifest naming this class, written
 * by {@link BigPatchBench}): it keeps the Instrumentation so that the workload can count hidden
 * classes, which no MXBean counts. {@code getAllLoadedClasses} (JVMTI GetLoadedClasses) lists hidden
 * classes too and walks the class loader data under a lock, not at a safepoint.
 */
public final class ClassCounter {

    private static volatile Instrumentation instrumentation;

    private ClassCounter() {}

    public static void premain(String options, Instrumentation inst) {
        instrumentation = inst;
    }

    static Instrumentation instrumentation() {
        return instrumentation;
    }

    /** Loaded classes (the MXBean's count) and hidden ones (-1 without the agent). */
    record Counts(int loaded, int hidden) {
    }

    static Counts count() {
        int loaded = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        Instrumentation inst = instrumentation;
        if (inst == null) {
            return new Counts(loaded, -1);
        }
        int hidden = 0;
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.isHidden()) {
                hidden++;
            }
        }
        return new Counts(loaded, hidden);
    }

    /** The names of the loaded classes that start with {@code prefix}, hidden ones left out. */
    static List<String> loadedNames(String prefix) {
        List<String> names = new ArrayList<>();
        Instrumentation inst = instrumentation;
        if (inst == null) {
            return names;
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.isHidden() && c.getName().startsWith(prefix)) {
                names.add(c.getName());
            }
        }
        names.sort(null);
        return names;
    }
}
