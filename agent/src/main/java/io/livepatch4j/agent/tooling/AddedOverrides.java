package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.diff.ClassDiff;

import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An instance method a patch adds that overrides a method of a loaded superclass or interface.
 * Patched callers would reach it (they dispatch over the receiver's class), but every other caller
 * (the JDK, frameworks, unchanged code) calls through the loaded supertype, whose dispatch does not
 * know the override: the new build's behaviour could not be had, so the patch is refused.
 */
final class AddedOverrides {

    private AddedOverrides() {}

    /** One problem per added method of {@code type} that overrides an inherited one. */
    static List<String> check(Class<?> type, ClassDiff.Result diff) {
        List<String> problems = new ArrayList<>();
        for (Change c : diff.changes()) {
            if (c.kind() != ChangeKind.METHOD_ADDED || c.member().startsWith("<")) {
                continue;
            }
            int paren = c.member().indexOf('(');
            String name = c.member().substring(0, paren);
            String desc = c.member().substring(paren);
            if (declaresInstance(type, name, desc)) {
                continue; // the loaded class has it: a kind change (private static to instance), not an override
            }
            Class<?> overridden = inherited(type, name, desc);
            if (overridden != null) {
                problems.add(type.getName() + "." + name + desc + ": the method the patch adds overrides "
                    + overridden.getName() + "." + name + "(), and code outside the patch calls it through the "
                    + "loaded " + overridden.getSimpleName() + ", which cannot dispatch to an override the loaded class "
                    + "does not have; ship it with the next release, or call a new method of another name from the "
                    + "code that needs it");
            }
        }
        return problems;
    }

    private static boolean declaresInstance(Class<?> type, String name, String desc) {
        return DeclaredMembers.access(type, name, desc, false) != null;
    }

    /** The loaded supertype that declares an overridable {@code name + desc}, or null. */
    private static Class<?> inherited(Class<?> type, String name, String desc) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        if (type.getSuperclass() != null) {
            todo.add(type.getSuperclass());
        }
        todo.addAll(List.of(type.getInterfaces()));
        while (!todo.isEmpty()) {
            Class<?> k = todo.poll();
            if (!seen.add(k)) {
                continue;
            }
            Integer mods = DeclaredMembers.access(k, name, desc, false);
            if (mods != null && !Modifier.isStatic(mods) && !Modifier.isPrivate(mods)) {
                return k;
            }
            if (k.getSuperclass() != null) {
                todo.add(k.getSuperclass());
            }
            todo.addAll(List.of(k.getInterfaces()));
        }
        return null;
    }
}
