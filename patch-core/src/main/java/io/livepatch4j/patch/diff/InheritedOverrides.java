package io.livepatch4j.patch.diff;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import org.objectweb.asm.Opcodes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * An instance method a patch adds that overrides a method of a supertype the running JVM has.
 * Patched callers would reach it (they dispatch over the receiver's class), but every other caller
 * (the JDK, frameworks, unchanged code) calls through the loaded supertype, whose dispatch cannot
 * know the override: the new build's behaviour cannot be had, so the change is refused. One rule for
 * both sides: `lp4j build` looks the supertypes up in the old build and the JDK, the agent in the
 * class files its loaders find, so a patch the builder writes is not refused for this later.
 */
public final class InheritedOverrides {

    private InheritedOverrides() {}

    /**
     * One refusal per method the diff adds to {@code className} that overrides an inherited one;
     * {@code shapes} gives the running JVM's class of an internal name, or null if it has none;
     * {@code next} is the new class file's shape: a private or static method it adds (a lambda body,
     * an accessor) overrides nothing, and no supertype is read for it.
     */
    public static List<Refusal> refusals(String className, ClassDiff.Result diff, Function<String, ClassShape> shapes,
                                         ClassShape next) {
        List<Refusal> refusals = new ArrayList<>();
        if (diff.changes().stream().noneMatch(c -> addsMethod(c) && overridable(c.member(), next))) {
            return refusals; // most classes: no supertype read (each is a class file found and parsed)
        }
        ClassShape self = shapes.apply(className.replace('.', '/'));
        if (self == null) {
            return refusals;
        }
        for (Change c : diff.changes()) {
            if (!addsMethod(c) || !overridable(c.member(), next)) {
                continue;
            }
            int paren = c.member().indexOf('(');
            String name = c.member().substring(0, paren);
            String desc = c.member().substring(paren);
            if (self.hasMethod(name, desc)) {
                continue; // a kind change (private static to instance), not an override
            }
            String overridden = inherited(self, name, desc, shapes);
            if (overridden != null) {
                refusals.add(new Refusal(className, c.member(), "the method the patch adds overrides "
                        + overridden.replace('/', '.') + "." + name + "(), and code outside the patch calls it through the "
                        + "loaded " + overridden.substring(overridden.lastIndexOf('/') + 1) + ", which cannot dispatch to an "
                        + "override the loaded class does not have",
                    "ship it with the next release, or call a new method of another name from the code that needs it"));
            }
        }
        return refusals;
    }

    /** Whether {@code member} (name and descriptor) is an instance method of {@code next} that is not private. */
    private static boolean overridable(String member, ClassShape next) {
        int paren = member.indexOf('(');
        Integer access = next.methodAccess(member.substring(0, paren), member.substring(paren));
        return access == null || (access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) == 0;
    }

    /** A method added, not a constructor or an initializer: the only change that can override. */
    private static boolean addsMethod(Change c) {
        return c.kind() == ChangeKind.METHOD_ADDED && !c.member().startsWith("<");
    }

    /** The supertype that declares an overridable {@code name + desc}, or null. */
    private static String inherited(ClassShape self, String name, String desc, Function<String, ClassShape> shapes) {
        Deque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        if (self.superName() != null) {
            todo.add(self.superName());
        }
        todo.addAll(self.interfaces());
        while (!todo.isEmpty()) {
            String k = todo.poll();
            if (!seen.add(k)) {
                continue;
            }
            ClassShape s = shapes.apply(k);
            if (s == null) {
                continue; // not in the running JVM: the link check reports it
            }
            Integer access = s.methodAccess(name, desc);
            if (access != null && (access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0) {
                return k;
            }
            if (s.superName() != null) {
                todo.add(s.superName());
            }
            todo.addAll(s.interfaces());
        }
        return null;
    }
}
