package io.livepatch4j.patch.build;

import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.Refusal;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, as kpatch-build checks a patch module's symbols, that every reference in the code a patch
 * carries resolves in the JVM after the apply: against the running build's classes (OLD), the JDK's
 * (read from the platform class loader, so the JDK lp4j runs on), the classes the patch adds, and
 * the members the patch adds to the classes it changes (the agent links them). A reference that
 * does not resolve would end in NoClassDefFoundError, NoSuchMethodError or NoSuchFieldError once the
 * new code runs, so it is a refusal. Classes in neither build nor the JDK (a library the build was
 * given without) cannot be checked; they are counted, not refused.
 */
final class LinkCheck {

    /**
     * The refusals, and the classes outside both builds and the JDK that references name (unchecked:
     * give the whole class path as OLD and NEW to check them).
     */
    record Result(List<Refusal> refusals, Set<String> unchecked) {
    }

    /**
     * What the JVM holds after the apply, as the check sees it; {@code refused} names the selected
     * classes whose changes are refused (their new members will not exist either).
     */
    record After(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild, Set<String> refused,
                 Map<String, byte[]> addedClasses, Map<String, Set<String>> addedMembers,
                 Map<String, String> switchMapCopies) {

        /** {@code switchMapCopies}: internal name of each switch map copy the patch carries to the original's. */
        After(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild, Set<String> refused,
              Map<String, byte[]> addedClasses, Map<String, Set<String>> addedMembers) {
            this(oldBuild, newBuild, refused, addedClasses, addedMembers, Map.of());
        }
    }

    private final After after;
    private final Map<String, ClassShape> shapes = new HashMap<>();
    private final Map<String, ClassShape> jdk = new HashMap<>();
    private final Set<String> notInJdk = new java.util.HashSet<>();

    private LinkCheck(After after) {
        this.after = after;
    }

    /**
     * @param users internal name to the class file the patch carries for it (renames applied): the
     *              changed classes and the added ones
     */
    static Result check(After after, Map<String, byte[]> users) {
        return new LinkCheck(after).run(users);
    }

    /** The members of other classes that the code uses. */
    static List<MemberUse> uses(byte[] code) {
        return collect(code);
    }

    record MemberUse(String owner, String name, String desc, boolean field, String inMethod) {
        String member() {
            return field ? name + ":" + desc : name + desc;
        }
    }

    private Result run(Map<String, byte[]> users) {
        List<Refusal> refusals = new ArrayList<>();
        Set<String> unchecked = new TreeSet<>();
        Set<String> reported = new LinkedHashSet<>();
        for (Map.Entry<String, byte[]> user : users.entrySet()) {
            String userName = user.getKey().replace('/', '.');
            for (String cls : classRefs(user.getValue())) {
                Presence p = presence(cls);
                if (p == Presence.UNKNOWN) {
                    unchecked.add(cls.replace('/', '.'));
                } else if (p == Presence.MISSING && reported.add(userName + " " + cls)) {
                    String dotted = cls.replace('/', '.');
                    refusals.add(new Refusal(userName, null, "its new code uses class " + dotted + ", which the new "
                            + "build has and the running build does not, and the patch does not add it: the JVM would "
                            + "throw NoClassDefFoundError",
                        "include class " + dotted + " (--only " + outermost(dotted) + "), or its library"));
                }
            }
            for (MemberUse use : collect(user.getValue())) {
                if (presence(use.owner()) != Presence.PRESENT) {
                    continue; // the class itself was reported above, or cannot be checked
                }
                Boolean found = resolves(use.owner(), use.name(), use.desc(), use.field(), new LinkedHashSet<>());
                if (found == null) {
                    continue; // a supertype outside what lp4j was given: cannot be checked
                }
                String owner = use.owner().replace('/', '.');
                if (!found && reported.add(userName + " " + owner + "#" + use.member())) {
                    refusals.add(unresolved(userName, use));
                } else if (found) {
                    Refusal outside = privateOutsideNest(user.getKey(), use, users.keySet());
                    if (outside != null && reported.add(userName + " private " + owner + "#" + use.member())) {
                        refusals.add(outside);
                    }
                }
            }
        }
        return new Result(refusals, unchecked);
    }

    /**
     * The refusal for a use of a member the running class keeps private (or package-private, from
     * another package) when its class is outside the user's nest and the patch neither changes nor
     * adds it: the agent links such a use through the owner's private lookup only within the nest and
     * for the classes the patch carries (PrivateAccess, issue 14 item 9). Null when allowed or unknown.
     */
    private Refusal privateOutsideNest(String user, MemberUse use, Set<String> carried) {
        String[] declared = declared(use.owner(), use.name(), use.desc(), use.field(), new java.util.HashSet<>());
        if (declared == null || declared[0].equals(user)) {
            return null;
        }
        int access = Integer.parseInt(declared[1]);
        String owner = declared[0];
        boolean packagePrivate = (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE)) == 0;
        if ((access & Opcodes.ACC_PRIVATE) == 0 && !(packagePrivate && !packageOf(owner).equals(packageOf(user)))) {
            return null;
        }
        if (carried.contains(owner) || after.addedClasses().containsKey(owner)) {
            return null;
        }
        ClassShape o = shape(owner);
        ClassShape u = shape(user);
        String userNest = u != null ? u.nestHost() : nestInNew(user);
        if (o != null && o.nestHost().equals(userNest)) {
            return null;
        }
        String host = user.replace('/', '.');
        String cls = owner.replace('/', '.');
        return new Refusal(host, use.inMethod(), "its code uses " + cls + "." + use.name() + ", which " + cls + " does not "
                + "let " + host + " use (private, or package-private in another package, in the running class) and "
                + cls + " is neither in the nest of " + host + " nor changed or added by the patch: the agent gives patched "
                + "code private access only within its host's nest and to the classes the patch carries",
            "include " + cls + " in the patch (--only " + outermost(cls) + ", or --closure), or use a member it makes "
                + "accessible");
    }

    /** {internal name, access} of the class of the running build (or the patch) that declares the member; null if unknown. */
    private String[] declared(String owner, String name, String desc, boolean field, Set<String> seen) {
        if (!seen.add(owner) || (after.oldBuild().get(owner.replace('/', '.')) == null
            && !after.addedClasses().containsKey(owner))) {
            return null; // the JDK's or unknown: javac's access rules hold there
        }
        ClassShape s = shape(owner);
        Integer access = s == null ? null : field ? s.fieldAccess(name, desc) : s.methodAccess(name, desc);
        if (access != null) {
            return new String[] {owner, String.valueOf(access)};
        }
        return s == null || s.superName() == null ? null : declared(s.superName(), name, desc, field, seen);
    }

    private String nestInNew(String internal) {
        byte[] bytes = after.newBuild().get(internal.replace('/', '.'));
        return bytes == null ? internal : ClassShape.of(bytes).nestHost();
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    /** The refusal for a member use that does not resolve, saying why it does not and what to do. */
    private Refusal unresolved(String user, MemberUse use) {
        String owner = use.owner().replace('/', '.');
        String error = use.field() ? "NoSuchFieldError" : "NoSuchMethodError";
        String uses = "its new code uses " + owner + "#" + use.member();
        for (Map.Entry<String, String> copy : after.switchMapCopies().entrySet()) {
            if (use.desc().contains("L" + copy.getKey() + ";")) {
                String map = copy.getValue().replace('/', '.');
                return new Refusal(user, use.inMethod(), uses + ": javac uses its switch map class " + map + " also as the "
                    + "tag type of a synthetic access constructor, and the patch, which carries a copy of the switch map "
                    + "under another name, renames that tag too, so the call would not link (the JVM would throw "
                    + error + ")", "leave " + user + " out of the patch (--only), or ship the fix with the next release; "
                    + "lp4j cannot yet copy a switch map that is also an access tag");
            }
        }
        String declaring = declaringInNew(use.owner(), use, new java.util.HashSet<>());
        if (declaring == null) {
            return new Refusal(user, use.inMethod(), uses + ", which neither the running build, the new build nor the "
                    + "patch has (the JVM would throw " + error + ")",
                "include class " + owner + " or its library as it is in the new build, or build the patch against the "
                    + "class path the JVM runs");
        }
        String decl = declaring.replace('/', '.');
        String where = decl.equals(owner) ? owner : decl + " (reached through " + owner + ")";
        if (after.refused().contains(decl)) {
            return new Refusal(user, use.inMethod(), uses + ", which the new build adds to " + where + ", a class whose "
                    + "changes are refused: the running JVM will not have it (the JVM would throw " + error + ")",
                "make the changes to " + decl + " patchable (its refusals say how), or leave this class out too");
        }
        return new Refusal(user, use.inMethod(), uses + ", which the new build adds to " + where + ", a class left out "
                + "of the patch: the running JVM does not have it (the JVM would throw " + error + ")",
            "include " + decl + " (--only " + outermost(decl) + ", or --closure)");
    }

    /** The class of the new build that declares the member, searching up from {@code owner}; null if none does. */
    private String declaringInNew(String owner, MemberUse use, Set<String> seen) {
        byte[] bytes = after.newBuild().get(owner.replace('/', '.'));
        if (bytes == null || !seen.add(owner)) {
            return null;
        }
        ClassShape s = ClassShape.of(bytes);
        if (use.field() ? s.hasField(use.name(), use.desc()) : s.hasMethod(use.name(), use.desc())) {
            return owner;
        }
        List<String> supers = new ArrayList<>(s.interfaces());
        if (s.superName() != null) {
            supers.add(0, s.superName());
        }
        for (String sup : supers) {
            String found = declaringInNew(sup, use, seen);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private enum Presence { PRESENT, MISSING, UNKNOWN }

    private Presence presence(String internal) {
        String dotted = internal.replace('/', '.');
        if (after.oldBuild().containsKey(dotted) || after.addedClasses().containsKey(internal) || jdkShape(internal) != null) {
            return Presence.PRESENT;
        }
        return after.newBuild().containsKey(dotted) ? Presence.MISSING : Presence.UNKNOWN;
    }

    private boolean inNewBuild(MemberUse use) {
        byte[] bytes = after.newBuild().get(use.owner().replace('/', '.'));
        if (bytes == null) {
            return false;
        }
        ClassShape s = ClassShape.of(bytes);
        return use.field() ? s.hasField(use.name(), use.desc()) : s.hasMethod(use.name(), use.desc());
    }

    /** True or false as the JVM's resolution would find it; null when a supertype cannot be seen. */
    private Boolean resolves(String owner, String name, String desc, boolean field, Set<String> seen) {
        if (!seen.add(owner)) {
            return false;
        }
        if (!field && (owner.equals("java/lang/invoke/MethodHandle") || owner.equals("java/lang/invoke/VarHandle"))) {
            ClassShape s = shape(owner);
            if (s != null && s.methods().keySet().stream().anyMatch(k -> k.startsWith(name + "("))) {
                return true; // signature polymorphic: any descriptor links
            }
        }
        ClassShape s = shape(owner);
        if (s == null) {
            return null;
        }
        if (field ? s.hasField(name, desc) : s.hasMethod(name, desc)) {
            return true;
        }
        if (after.addedMembers().getOrDefault(owner, Set.of()).contains(field ? name + ":" + desc : name + desc)) {
            return true;
        }
        if (!field && name.equals("<init>")) {
            return false; // constructors are not inherited
        }
        boolean unknown = false;
        List<String> supers = new ArrayList<>();
        if (s.superName() != null) {
            supers.add(s.superName());
        }
        supers.addAll(s.interfaces());
        for (String sup : supers) {
            Boolean r = resolves(sup, name, desc, field, seen);
            if (r == null) {
                unknown = true;
            } else if (r) {
                return true;
            }
        }
        return unknown ? null : false;
    }

    /** The class as the JVM has it after the apply: added, patched (old shape), running, or the JDK's. */
    private ClassShape shape(String internal) {
        ClassShape s = shapes.get(internal);
        if (s != null) {
            return s;
        }
        byte[] added = after.addedClasses().get(internal);
        byte[] old = after.oldBuild().get(internal.replace('/', '.'));
        if (added != null) {
            s = ClassShape.of(added);
        } else if (old != null) {
            s = ClassShape.of(old);
        } else {
            return jdkShape(internal);
        }
        shapes.put(internal, s);
        return s;
    }

    private ClassShape jdkShape(String internal) {
        ClassShape s = jdk.get(internal);
        if (s != null || notInJdk.contains(internal)) {
            return s;
        }
        // The running JDK's own class files (a .class resource is never encapsulated by a module).
        try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(internal + ".class")) {
            if (in != null) {
                s = ClassShape.of(in.readAllBytes());
                jdk.put(internal, s);
                return s;
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: treated as absent
        }
        notInJdk.add(internal);
        return null;
    }

    /** The classes the code names where the JVM resolves them: owners, types, constants, handlers, supertypes. */
    static Set<String> classRefs(byte[] bytes) {
        ClassNode c = new ClassNode();
        new ClassReader(bytes).accept(c, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        Set<String> refs = new LinkedHashSet<>();
        if (c.superName != null) {
            refs.add(c.superName);
        }
        refs.addAll(c.interfaces);
        for (MethodNode m : c.methods) {
            for (TryCatchBlockNode t : m.tryCatchBlocks) {
                if (t.type != null) {
                    addType(refs, t.type);
                }
            }
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof TypeInsnNode t) {
                    addType(refs, t.desc);
                } else if (insn instanceof MultiANewArrayInsnNode t) {
                    addType(refs, t.desc);
                } else if (insn instanceof MethodInsnNode mi) {
                    addType(refs, mi.owner);
                } else if (insn instanceof FieldInsnNode fi) {
                    addType(refs, fi.owner);
                } else if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof Type t && t.getSort() != Type.METHOD) {
                    addType(refs, t.getInternalName());
                } else if (insn instanceof InvokeDynamicInsnNode indy) {
                    for (Object a : indy.bsmArgs) {
                        if (a instanceof Handle h) {
                            addType(refs, h.getOwner());
                        }
                    }
                }
            }
        }
        refs.remove(c.name);
        return refs;
    }

    private static void addType(Set<String> refs, String internalOrDesc) {
        String t = internalOrDesc;
        if (t.startsWith("[")) {
            Type el = Type.getType(t).getElementType();
            if (el.getSort() != Type.OBJECT) {
                return;
            }
            t = el.getInternalName();
        }
        refs.add(t);
    }

    private static List<MemberUse> collect(byte[] bytes) {
        ClassNode c = new ClassNode();
        new ClassReader(bytes).accept(c, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        List<MemberUse> uses = new ArrayList<>();
        for (MethodNode m : c.methods) {
            String in = m.name + m.desc;
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode mi) {
                    add(uses, c.name, mi.owner, mi.name, mi.desc, false, in);
                } else if (insn instanceof FieldInsnNode fi) {
                    add(uses, c.name, fi.owner, fi.name, fi.desc, true, in);
                } else if (insn instanceof InvokeDynamicInsnNode indy) {
                    for (Object a : indy.bsmArgs) {
                        if (a instanceof Handle h) {
                            add(uses, c.name, h.getOwner(), h.getName(), h.getDesc(), h.getTag() <= Opcodes.H_PUTSTATIC, in);
                        }
                    }
                }
            }
        }
        return uses;
    }

    private static void add(List<MemberUse> uses, String self, String owner, String name, String desc, boolean field,
                            String in) {
        if (!owner.equals(self) && !owner.startsWith("[")) {
            uses.add(new MemberUse(owner, name, desc, field, in));
        }
    }

    private static String outermost(String dotted) {
        int d = dotted.indexOf('$');
        return d < 0 ? dotted : dotted.substring(0, d);
    }
}
