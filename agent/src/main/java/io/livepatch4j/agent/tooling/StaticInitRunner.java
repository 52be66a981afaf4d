package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.Reinitialization;
import io.livepatch4j.patch.diff.StaticInitializers;
import io.livepatch4j.patch.rewrite.FrameUpgrade;
import io.livepatch4j.patch.rewrite.ImplNames;
import io.livepatch4j.patch.rewrite.PatchShape;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the new static initializers of a patch, once, when it is applied: after the classes' sites
 * select per thread and before the generation is published, on the applying thread pinned to the
 * new generation (Units.callIn), so calls it makes run the new code while every other thread still
 * runs the old. Each runs in a copy of its version's implementation class that also holds the
 * initializer ({@link ImplClasses#write}),
 * defined for the purpose and dropped after. Each class runs after the patched classes its code uses
 * (InitializerOrder), as the JVM would have initialized them. One that throws refuses the patch: the transition is aborted before anything was published (Transition),
 * and what the statements before the throw did to existing objects stays.
 */
final class StaticInitRunner implements Transition.BeforePublish {

    private record Task(HostClass host, ClassVersion version, StaticInitializers.Plan plan, PatchShape shape) {
    }

    private final List<Task> tasks = new ArrayList<>();

    /** Adds the class's initializer if the patch's version has statements to run. */
    void add(HostClass h, ClassVersion v, byte[] before, byte[] after, PatchShape shape) {
        // The plan's statements index the instructions of the class file the initializer is written
        // from, which ImplClassWriter brings to version 51 first if it is older: plan on the same form.
        LoadedMembers hierarchy = new LoadedMembers(h.type, shape);
        StaticInitializers.Plan plan = StaticInitializers.plan(ClassDiff.read(FrameUpgrade.toJava7(before, hierarchy)),
            ClassDiff.read(FrameUpgrade.toJava7(after, hierarchy)));
        if (!plan.runsNothing()) {
            tasks.add(new Task(h, v, plan, shape));
        }
    }

    /**
     * Adds the whole new initializer of a class the patch re-initializes (Reinitialization): its
     * stores reach the fresh static state the version holds apart.
     */
    void addWhole(HostClass h, ClassVersion v, byte[] after, PatchShape shape) {
        LoadedMembers hierarchy = new LoadedMembers(h.type, shape);
        org.objectweb.asm.tree.ClassNode version = ClassDiff.read(FrameUpgrade.toJava7(after, hierarchy));
        tasks.add(new Task(h, v, StaticInitializers.whole(version, Reinitialization.fields(version)), shape));
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    @Override
    public void run(Generation target) throws PatchException {
        for (Task t : InitializerOrder.of(tasks, t -> t.host.type.getName().replace('.', '/'), t -> t.version.bytes())) {
            MethodHandle init = define(t);
            try {
                Units.callIn(target, () -> {
                    try {
                        init.invokeExact();
                    } catch (Exception | Error e) {
                        throw e;
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                });
            } catch (Exception | Error e) {
                throw new PatchException("refused: the new static initializer of " + t.host.name() + " threw " + e
                    + "; the patch was not applied and no thread runs its code (what the initializer did to existing "
                    + "objects before it threw stays)", e);
            }
        }
    }

    private static MethodHandle define(Task t) throws PatchException {
        WrittenClass code = WrittenClass.read(ImplClasses.write(t.host, t.version, t.shape, t.plan));
        MethodHandles.Lookup impl;
        try {
            impl = ImplClasses.define(t.host, code);
        } catch (UnlinkableCode e) {
            throw new PatchException(e.getMessage(), e.getCause()); // the class runs already: never left out here
        }
        BootstrapLinks.resolve(t.host, t.version, impl, code);
        try {
            return impl.findStatic(impl.lookupClass(), ImplNames.method("lp4j$clinit", true), MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new PatchException("refused: class " + t.host.name() + ": its new static initializer could not be "
                + "prepared (" + e + "); nothing was changed", e);
        }
    }
}
