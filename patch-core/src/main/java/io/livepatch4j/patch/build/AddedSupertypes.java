package io.livepatch4j.patch.build;

import io.livepatch4j.patch.diff.Refusal;
import io.livepatch4j.patch.rewrite.ClassHierarchy;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The supertypes of the classes a patch adds, as the running JVM has them. A loaded class keeps the
 * kind and modifiers it was loaded with (no patch turns a class into an interface, opens a final
 * class or widens a sealed one's list), so a class the patch adds that extends or implements a type
 * the new build changed that way can never be defined: the JVM throws IncompatibleClassChangeError
 * when the agent defines it, and the whole apply is refused. Refused here, at build, instead.
 */
final class AddedSupertypes {

    private AddedSupertypes() {}

    /**
     * @param added      the classes the patch adds (binary names)
     * @param includedBy why an added class is in the patch, where another class brought it in
     */
    static List<Refusal> check(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild, Set<String> added,
                               Map<String, String> includedBy) {
        List<Refusal> refusals = new ArrayList<>();
        Map<String, ClassNode> running = new HashMap<>();
        for (String name : added) {
            ClassNode c = read(newBuild.get(name));
            List<String> problems = new ArrayList<>();
            if (c.superName != null) {
                String why = refusedAs(running(oldBuild, running, c.superName), c.name, false);
                if (why != null) {
                    problems.add("extends " + dotted(c.superName) + ", which " + why);
                }
            }
            for (String itf : c.interfaces) {
                String why = refusedAs(running(oldBuild, running, itf), c.name, true);
                if (why != null) {
                    boolean itfItself = (c.access & Opcodes.ACC_INTERFACE) != 0;
                    problems.add((itfItself ? "extends " : "implements ") + dotted(itf) + ", which " + why);
                }
            }
            if (!problems.isEmpty()) {
                String because = includedBy.get(name);
                refusals.add(new Refusal(name, null, "the class the patch adds " + String.join(", and ", problems)
                        + ": a loaded class keeps the kind and modifiers it was loaded with, whatever the new build "
                        + "says, so the JVM would refuse to define the new class (IncompatibleClassChangeError)",
                    "leave it out of the patch with the classes whose new code uses it (--only"
                        + (because == null ? "" : "; why it is in the patch: " + because)
                        + "), or ship the fix with the next release"));
            }
        }
        return refusals;
    }

    /**
     * Why the JVM would refuse {@code type} as a superclass ({@code asInterface} false) or an interface
     * of {@code sub}; null if it would not, or cannot tell ({@code type} null).
     */
    private static String refusedAs(ClassNode type, String sub, boolean asInterface) {
        if (type == null) {
            return null;
        }
        boolean isInterface = (type.access & Opcodes.ACC_INTERFACE) != 0;
        if (asInterface != isInterface) {
            return "the running JVM has as " + (isInterface ? "an interface" : "a class, not an interface");
        }
        if (!asInterface && (type.access & Opcodes.ACC_FINAL) != 0) {
            return "is final in the running JVM";
        }
        List<String> permitted = type.permittedSubclasses;
        if (permitted != null && !permitted.isEmpty() && !permitted.contains(sub)) {
            return "is sealed in the running JVM, and its list of permitted subclasses there does not name the new class";
        }
        return null;
    }

    /**
     * The type as the running JVM has it: the running build's class, else the JDK's; null for a class
     * the patch adds (the new build is consistent with itself) or one outside what lp4j was given.
     */
    private static ClassNode running(Map<String, byte[]> oldBuild, Map<String, ClassNode> cache, String internal) {
        if (cache.containsKey(internal)) {
            return cache.get(internal);
        }
        byte[] bytes = oldBuild.get(dotted(internal));
        if (bytes == null) {
            bytes = ClassHierarchy.classFile(ClassLoader.getPlatformClassLoader(), internal);
        }
        ClassNode node = null;
        if (bytes != null) {
            try {
                node = read(bytes);
            } catch (RuntimeException e) {
                // unreadable: cannot tell, as for a class lp4j was not given
            }
        }
        cache.put(internal, node);
        return node;
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return node;
    }

    private static String dotted(String internal) {
        return internal.replace('/', '.');
    }
}
