package io.livepatch4j.patch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A patch: the new versions of some classes of a program, each tied to the exact bytes it was built
 * against, and the classes it adds. Immutable. Read and written by {@link PatchFormat}.
 *
 * @param signature  null when unsigned
 * @param notCarried differences between the two builds that the patch does not carry (see {@link NotCarried})
 * @param classRenames classes the patch's code uses under another name than javac gave them (binary
 *                     names: javac's to the patch's), a copy of a switch map the patch carries as a
 *                     new class; applied to the patch's classes before anything else reads them
 * @param replace    true: a cumulative patch, built against the release the JVM started with, that
 *                   replaces whatever patch is live in one transition; false: stacked, built against
 *                   the build the JVM runs now, applied on top (docs/patch-format.md)
 * @param states     the state versions the patch sets up or handles (see {@link PatchState})
 * @param hooks      its callbacks and state transformers, each in a class it adds ({@link PatchHook})
 */
public record Patch(String id, String compiler, String createdAt, String description,
                    List<ClassPatch> classes, List<NewClass> newClasses, PatchSignature signature,
                    List<NotCarried> notCarried, java.util.Map<String, String> classRenames,
                    boolean replace, List<PatchState> states, List<PatchHook> hooks) {

    /**
     * The format this livepatch4j writes. 2 (issue 13) added the change kinds MODIFIERS and
     * STATIC_INITIALIZER and the kinds of change an older agent would refuse; format 1 patches read
     * as they always did (every format-1 change is a format-2 change with the same meaning).
     */
    public static final int FORMAT = 2;

    /** The oldest format this livepatch4j still reads. */
    public static final int OLDEST_FORMAT = 1;

    public Patch {
        classes = List.copyOf(classes);
        newClasses = List.copyOf(newClasses);
        notCarried = List.copyOf(notCarried);
        classRenames = java.util.Map.copyOf(classRenames);
        states = states == null ? List.of() : List.copyOf(states);
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
    }

    /** A patch without callbacks or transformers. */
    public Patch(String id, String compiler, String createdAt, String description,
                 List<ClassPatch> classes, List<NewClass> newClasses, PatchSignature signature,
                 List<NotCarried> notCarried, java.util.Map<String, String> classRenames,
                 boolean replace, List<PatchState> states) {
        this(id, compiler, createdAt, description, classes, newClasses, signature, notCarried, classRenames, replace,
            states, List.of());
    }

    /** A stacked patch that declares no state (what every patch was before cumulative patches). */
    public Patch(String id, String compiler, String createdAt, String description,
                 List<ClassPatch> classes, List<NewClass> newClasses, PatchSignature signature,
                 List<NotCarried> notCarried, java.util.Map<String, String> classRenames) {
        this(id, compiler, createdAt, description, classes, newClasses, signature, notCarried, classRenames, false,
            List.of());
    }

    /** A patch that carries every difference it was built from. */
    public Patch(String id, String compiler, String createdAt, String description,
                 List<ClassPatch> classes, List<NewClass> newClasses, PatchSignature signature) {
        this(id, compiler, createdAt, description, classes, newClasses, signature, List.of(), java.util.Map.of());
    }

    public Patch withSignature(PatchSignature sig) {
        return new Patch(id, compiler, createdAt, description, classes, newClasses, sig, notCarried, classRenames,
            replace, states, hooks);
    }

    /** This patch, unsigned, with {@code replace} and {@code states} as given (the builder's and tests' way to set them). */
    public Patch withCumulative(boolean replace, List<PatchState> states) {
        return new Patch(id, compiler, createdAt, description, classes, newClasses, null, notCarried, classRenames,
            replace, states, hooks);
    }

    /** This patch with other classes: the agent's view of a patch whose added class an earlier patch defined already. */
    public Patch withClasses(List<ClassPatch> classes, List<NewClass> newClasses) {
        return new Patch(id, compiler, createdAt, description, classes, newClasses, signature, notCarried, classRenames,
            replace, states, hooks);
    }

    public ClassPatch classPatch(String name) {
        for (ClassPatch c : classes) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Every class the patch names: changed and new. */
    public Set<String> classNames() {
        Set<String> names = new LinkedHashSet<>();
        classes.forEach(c -> names.add(c.name()));
        newClasses.forEach(c -> names.add(c.name()));
        return names;
    }

    public List<Change> allChanges() {
        List<Change> all = new ArrayList<>();
        classes.forEach(c -> all.addAll(c.changes()));
        return all;
    }
}
