package io.livepatch4j.patch.build;

import io.livepatch4j.patch.PatchHook;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.Refusal;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The callbacks and state transformers of a fix: methods of the new build annotated with the
 * quiescence API's {@code PatchCallback} or {@code StateTransformer}. They must be static,
 * no-argument methods of classes the fix adds (a loaded class cannot run the patch's code before it
 * is patched); the classes that declare them come with the patch whatever {@code --only} says.
 */
final class Hooks {

    static final String CALLBACK = "Lio/livepatch4j/quiescence/PatchCallback;";
    static final String TRANSFORMER = "Lio/livepatch4j/quiescence/StateTransformer;";
    private static final byte[] API = "io/livepatch4j/quiescence/".getBytes(StandardCharsets.UTF_8);

    record Found(List<PatchHook> hooks, Set<String> classes, List<Refusal> refusals, List<String> warnings) {
    }

    private Hooks() {}

    /** Every hook of {@code newBuild}; {@code added}: the classes only the new build has. */
    static Found find(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild, Set<String> added) {
        List<PatchHook> hooks = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        List<Refusal> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(newBuild).entrySet()) {
            if (!mentionsApi(e.getValue())) {
                continue;
            }
            String name = e.getKey();
            ClassNode c = ClassDiff.read(e.getValue());
            for (MethodNode m : c.methods) {
                PatchHook.Kind kind = kind(m);
                if (kind == null) {
                    continue;
                }
                String member = m.name + m.desc;
                if (!added.contains(name)) {
                    if (oldBuild.containsKey(name) && java.util.Arrays.equals(oldBuild.get(name), e.getValue())) {
                        warnings.add(name + "#" + m.name + "() is a " + kind + " hook of a class both builds have, "
                            + "unchanged: only hooks of classes the fix adds run, so this one does not");
                    } else {
                        refusals.add(new Refusal(name, member, "a " + kind + " hook is declared in a class the JVM "
                            + "already runs, which cannot run the patch's code before it is patched",
                            "declare callbacks and transformers in a class the fix adds (com.acme.fix.PatchHooks, say)"));
                    }
                    continue;
                }
                if ((m.access & Opcodes.ACC_STATIC) == 0 || !"()V".equals(m.desc)) {
                    refusals.add(new Refusal(name, member, "a " + kind + " hook must be a static method with no "
                        + "arguments that returns void" + (m.desc.startsWith("()") ? "" : " (the state of objects "
                        + "that existed before the patch is migrated per field, by the initializers of the fields "
                        + "the patch adds)"), "declare it as 'static void " + m.name + "()'"));
                    continue;
                }
                hooks.add(new PatchHook(kind, name, m.name));
                classes.add(name);
            }
        }
        return new Found(List.copyOf(hooks), classes, refusals, warnings);
    }

    /** The kind a method's annotation gives it, or null if it has none. */
    private static PatchHook.Kind kind(MethodNode m) {
        if (m.visibleAnnotations == null) {
            return null;
        }
        for (AnnotationNode a : m.visibleAnnotations) {
            if (CALLBACK.equals(a.desc)) {
                String phase = "PRE_APPLY";
                for (int i = 0; a.values != null && i < a.values.size(); i += 2) {
                    if ("value".equals(a.values.get(i)) && a.values.get(i + 1) instanceof String[] en) {
                        phase = en[1];
                    }
                }
                return PatchHook.Kind.valueOf(phase);
            }
            if (TRANSFORMER.equals(a.desc)) {
                boolean reverse = false;
                for (int i = 0; a.values != null && i < a.values.size(); i += 2) {
                    if ("reverse".equals(a.values.get(i)) && a.values.get(i + 1) instanceof Boolean b) {
                        reverse = b;
                    }
                }
                return reverse ? PatchHook.Kind.REVERSE_TRANSFORMER : PatchHook.Kind.TRANSFORMER;
            }
        }
        return null;
    }

    private static boolean mentionsApi(byte[] bytes) {
        outer:
        for (int i = 0; i <= bytes.length - API.length; i++) {
            for (int j = 0; j < API.length; j++) {
                if (bytes[i + j] != API[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
