package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Dispatch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.rewrite.ImplNames;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Links, at install, every {@code Dispatch} bootstrap that an implementation class's code needs
 * (final-field setters, super calls, protected and private members, added methods, shadow fields,
 * lambdas), by calling it as the JVM will on first execution. A link the JDK refuses (the setter
 * of a record's field, say) then refuses the whole patch before it takes effect, naming the class,
 * the method and the member, instead of failing with a BootstrapMethodError in every later call.
 * The bootstraps are idempotent (sites and shadow fields are made once, lambda classes cached), so
 * linking twice costs only time.
 */
final class BootstrapLinks {

    private BootstrapLinks() {}

    /** Whether {@code e}, or what caused it, is a type this JVM cannot load. */
    private static boolean absentType(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TypeNotPresentException || t instanceof NoClassDefFoundError) {
                return true;
            }
        }
        return false;
    }

    /** Each bootstrap of {@code Dispatch} by name + descriptor, as the JVM would call it. */
    private static final java.util.concurrent.ConcurrentMap<String, MethodHandle> BOOTSTRAPS =
        new java.util.concurrent.ConcurrentHashMap<>();

    static void resolve(HostClass h, ClassVersion v, MethodHandles.Lookup impl, WrittenClass code) throws PatchException {
        ClassLoader loader = h.type.getClassLoader();
        grant(impl.lookupClass(), code.privateOwners, loader);
        for (WrittenClass.Link link : code.links) {
            try {
                MethodHandle bootstrap = bootstrap(link.bsm());
                List<Object> call = new ArrayList<>(3 + link.args().length);
                call.add(impl);
                call.add(link.name());
                call.add(MethodType.fromMethodDescriptorString(link.desc(), loader));
                for (Object a : link.args()) {
                    call.add(constant(a, impl, loader));
                }
                bootstrap.invokeWithArguments(call);
            } catch (Throwable e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
                if (absentType(cause)) {
                    // It needs a type this JVM cannot load (an optional dependency that is absent): the code
                    // as loaded fails on that type at the same point, so the link is left to that point.
                    continue;
                }
                throw new PatchException("refused: class " + h.name() + " (version " + v.number() + "): in "
                    + hostMember(link.method()) + ", " + what(link) + " cannot be linked: " + cause + "; nothing was "
                    + "changed: change that code so it does not need this link, or report it if the class is plain "
                    + "javac output", e);
            }
        }
    }

    /**
     * Grants {@code caller} the private lookups its privateMember links name (Dispatch checks each link
     * against its grants). Each passed the rewrite's rule (PrivateAccess) when {@code code} was written:
     * the host's nest, or a class the patch changes or adds. An owner that cannot be loaded is left out;
     * its link fails where the code as loaded would.
     */
    static void grantPrivateAccess(Class<?> caller, WrittenClass code, ClassLoader loader) {
        grant(caller, code.privateOwners, loader);
    }

    /** The same for code that runs in the host itself (a constructor's new super(...)/this(...) part). */
    static void grantPrivateAccess(Class<?> host, org.objectweb.asm.tree.MethodNode code) {
        java.util.Set<String> owners = new java.util.TreeSet<>();
        code.accept(new MethodVisitor(Opcodes.ASM9) {
            @Override
            public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
                String owner = WrittenClass.privateMemberOwner(bsm, args);
                if (owner != null) {
                    owners.add(owner);
                }
            }
        });
        grant(host, owners, host.getClassLoader());
    }

    private static void grant(Class<?> caller, java.util.Set<String> owners, ClassLoader loader) {
        for (String owner : owners) {
            try {
                Dispatch.grantPrivateAccess(caller, Class.forName(owner, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                // not loadable here: the link fails on first use, as it would without the check
            }
        }
    }

    /** In words, for the refusal. */
    private static String what(WrittenClass.Link link) {
        Object[] args = link.args();
        String name = link.name();
        Object owner = args.length > 0 && args[0] instanceof Type t
            && (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY) ? t.getClassName() : null;
        return switch (link.bsm().getName()) {
            case "finalField" -> "the write of final field " + owner + "." + name;
            case "superCall" -> "the call super." + name + args[1];
            case "protectedMember", "privateMember" -> "the use of " + owner + "." + name + " ("
                + link.bsm().getName().replace("Member", "") + " member)";
            case "addedMethod", "addedVirtual" -> "the call of added method " + owner + "." + args[1] + args[2];
            case "shadowField" -> "the added field " + owner + "." + name;
            case "volatileField" -> "the volatile access to field " + owner + "." + name;
            case "newInstance" -> "the super(...)/this(...) call of an added constructor to " + owner + args[1];
            case "lambda" -> "the lambda or method reference " + name + " to " + args[1];
            default -> "Dispatch." + link.bsm().getName() + " for " + name + " " + Arrays.toString(args);
        };
    }

    /** {@code Dispatch}'s bootstrap {@code bsm} names, as a handle; looked up once per bootstrap. */
    private static MethodHandle bootstrap(Handle bsm) throws ReflectiveOperationException {
        MethodHandle known = BOOTSTRAPS.get(bsm.getName() + bsm.getDesc());
        if (known != null) {
            return known;
        }
        for (Method m : Dispatch.class.getMethods()) {
            if (m.getName().equals(bsm.getName()) && Type.getMethodDescriptor(m).equals(bsm.getDesc())) {
                MethodHandle h = MethodHandles.publicLookup().unreflect(m);
                BOOTSTRAPS.putIfAbsent(bsm.getName() + bsm.getDesc(), h);
                return h;
            }
        }
        throw new NoSuchMethodException("Dispatch." + bsm.getName() + bsm.getDesc() + " (agent and patch compiler differ)");
    }

    /** A static argument as the JVM resolves it for the implementation class. */
    private static Object constant(Object a, MethodHandles.Lookup impl, ClassLoader loader)
        throws ReflectiveOperationException {
        if (a instanceof Type t) {
            return t.getSort() == Type.METHOD ? MethodType.fromMethodDescriptorString(t.getDescriptor(), loader)
                : Class.forName(t.getSort() == Type.ARRAY ? t.getDescriptor().replace('/', '.') : t.getClassName(), false, loader);
        }
        if (a instanceof Handle h) {
            return handle(h, impl, loader);
        }
        return a;
    }

    private static MethodHandle handle(Handle h, MethodHandles.Lookup impl, ClassLoader loader)
        throws ReflectiveOperationException {
        // The implementation class is hidden: its name in the bytes resolves to it, never through a loader.
        String implName = impl.lookupClass().getName();
        int slash = implName.indexOf('/');
        Class<?> owner = h.getOwner().replace('/', '.').equals(slash < 0 ? implName : implName.substring(0, slash))
            ? impl.lookupClass() : Class.forName(h.getOwner().replace('/', '.'), false, loader);
        return switch (h.getTag()) {
            case Opcodes.H_GETFIELD -> impl.findGetter(owner, h.getName(), fieldType(h.getDesc(), loader));
            case Opcodes.H_GETSTATIC -> impl.findStaticGetter(owner, h.getName(), fieldType(h.getDesc(), loader));
            case Opcodes.H_PUTFIELD -> impl.findSetter(owner, h.getName(), fieldType(h.getDesc(), loader));
            case Opcodes.H_PUTSTATIC -> impl.findStaticSetter(owner, h.getName(), fieldType(h.getDesc(), loader));
            case Opcodes.H_INVOKESTATIC -> impl.findStatic(owner, h.getName(), methodType(h, loader));
            case Opcodes.H_INVOKESPECIAL -> impl.findSpecial(owner, h.getName(), methodType(h, loader), impl.lookupClass());
            case Opcodes.H_NEWINVOKESPECIAL -> impl.findConstructor(owner, methodType(h, loader));
            default -> impl.findVirtual(owner, h.getName(), methodType(h, loader));
        };
    }

    private static MethodType methodType(Handle h, ClassLoader loader) {
        return MethodType.fromMethodDescriptorString(h.getDesc(), loader);
    }

    private static Class<?> fieldType(String desc, ClassLoader loader) {
        return MethodType.fromMethodDescriptorString("(" + desc + ")V", loader).parameterType(0);
    }

    /** The host's member an implementation method holds, in words: {@code m(I)V}. */
    private static String hostMember(String implMethod) {
        int paren = implMethod.indexOf('(');
        ImplNames.HostMember m = ImplNames.hostMember(implMethod.substring(0, paren), implMethod.substring(paren));
        return m.name() + m.descriptor();
    }
}
