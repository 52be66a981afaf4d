package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.Refusal;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The build's side of the agent's AddedOverrides rule: an instance method a patch adds to a class
 * that overrides a method of a supertype the running JVM has (in the old build, or the JDK). Every
 * caller outside the patch calls through that supertype, whose loaded dispatch cannot know the
 * override, so the change is refused here, where the class's status says so, rather than by the
 * agent after the patch was written.
 */
final class InheritedOverrides {

    private InheritedOverrides() {}

    /** {@code diff} with a refusal for each added method that overrides an inherited one, or {@code diff} itself. */
    static ClassDiff.Result check(String className, ClassDiff.Result diff, Map<String, byte[]> oldBuild) {
        List<Refusal> more = new ArrayList<>();
        ClassShape self = shape(className.replace('.', '/'), oldBuild);
        if (self == null) {
            return diff;
        }
        for (Change c : diff.changes()) {
            if (c.kind() != ChangeKind.METHOD_ADDED || c.member().startsWith("<")) {
                continue;
            }
            int paren = c.member().indexOf('(');
            String name = c.member().substring(0, paren);
            String desc = c.member().substring(paren);
            if (self.hasMethod(name, desc)) {
                continue; // a kind change (private static to instance), not an override
            }
            String overridden = inherited(self, name, desc, oldBuild);
            if (overridden != null) {
                more.add(new Refusal(className, c.member(), "the method the patch adds overrides "
                        + overridden.replace('/', '.') + "." + name + "(), and code outside the patch calls it through the "
                        + "loaded " + overridden.substring(overridden.lastIndexOf('/') + 1) + ", which cannot dispatch to an "
                        + "override the loaded class does not have",
                    "ship it with the next release, or call a new method of another name from the code that needs it"));
            }
        }
        if (more.isEmpty()) {
            return diff;
        }
        List<Refusal> refusals = new ArrayList<>(diff.refusals());
        refusals.addAll(more);
        return new ClassDiff.Result(diff.className(), diff.changes(), List.copyOf(refusals), diff.warnings(),
            diff.notCarried());
    }

    private static String inherited(ClassShape self, String name, String desc, Map<String, byte[]> oldBuild) {
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
            ClassShape s = shape(k, oldBuild);
            if (s == null) {
                continue; // neither in the build nor in the JDK: the link check reports it
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

    private static ClassShape shape(String internalName, Map<String, byte[]> oldBuild) {
        byte[] bytes = oldBuild.get(internalName.replace('/', '.'));
        if (bytes != null) {
            return ClassShape.of(bytes);
        }
        try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(internalName + ".class")) {
            return in == null ? null : ClassShape.of(in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
