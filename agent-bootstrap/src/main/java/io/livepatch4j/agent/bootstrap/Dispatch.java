package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Field;

/**
 * The bootstrap methods that prologues and rewritten code link to with {@code invokedynamic}; their
 * descriptors match {@code io.livepatch4j.patch.rewrite.RuntimeNames}. Each runs once per call site,
 * when the JVM first executes it.
 */
public final class Dispatch {

    private static final int FLAG_STATIC = 1;
    private static final int FLAG_INTERFACE = 2;
    private static final int FIELD_GET = 0;
    private static final int FIELD_PUT = 1;
    private static final int FIELD_GET_STATIC = 2;
    private static final int FIELD_PUT_STATIC = 3;
    private static final int FIELD_VOLATILE = 4;

    private Dispatch() {}

    /** A prologue's guard: the class's shared constant-boolean call site. */
    public static CallSite guard(MethodHandles.Lookup caller, String name, MethodType type) {
        return PatchableClass.of(caller.lookupClass()).guard();
    }

    /** A prologue's dispatch call: the method's site in the calling class. */
    public static CallSite method(MethodHandles.Lookup caller, String implName, MethodType type,
                                  String name, String descriptor, int flags) {
        return PatchableClass.of(caller.lookupClass()).site(name, descriptor, (flags & FLAG_STATIC) != 0, type).callSite();
    }

    /** Patched code calling a method that a patch added to {@code owner}: that method's site. */
    public static CallSite addedMethod(MethodHandles.Lookup caller, String implName, MethodType type,
                                       Class<?> owner, String name, String descriptor, int flags) {
        boolean isStatic = (flags & FLAG_STATIC) != 0;
        // Named through a subclass (sub.helper() for a method added to Base), the call's receiver is the
        // subclass: the site, which the owner's implementation also installs into, takes the owner.
        MethodType siteType = isStatic ? type : type.changeParameterType(0, owner);
        MutableCallSite site = PatchableClass.of(owner).site(name, descriptor, isStatic, siteType).callSite();
        return site.type().equals(type) ? site : new ConstantCallSite(site.dynamicInvoker().asType(type));
    }

    /**
     * Patched code calling an overridable method that a patch added: dispatched over the receiver's
     * class in the calling thread's generation ({@link VirtualCalls}).
     */
    public static CallSite addedVirtual(MethodHandles.Lookup caller, String implName, MethodType type,
                                        Class<?> owner, String name, String descriptor, int flags) {
        return VirtualCalls.site(name, descriptor, type);
    }

    /** A constructor's switch over the variants of its super(...)/this(...) call ({@link PatchableClass#prefixVariant}). */
    public static CallSite constructorPrefix(MethodHandles.Lookup caller, String name, MethodType type, String descriptor)
        throws ReflectiveOperationException {
        MethodHandle select = MethodHandles.lookup().findVirtual(PatchableClass.class, "prefixVariant",
            MethodType.methodType(int.class, String.class));
        return new ConstantCallSite(MethodHandles.insertArguments(select, 0, PatchableClass.of(caller.lookupClass()),
            descriptor).asType(type));
    }

    /** An added constructor's factory making its object ({@link NewInstances}). */
    public static CallSite newInstance(MethodHandles.Lookup caller, String name, MethodType type,
                                       Class<?> declaring, String descriptor) throws ReflectiveOperationException {
        return new ConstantCallSite(NewInstances.maker(type, declaring, descriptor));
    }

    /**
     * {@code super.name(...)} from patched code: only the host may use {@code invokespecial}, so the
     * handle comes from the host's own lookup ({@code findSpecial} with the host as caller).
     */
    public static CallSite superCall(MethodHandles.Lookup caller, String name, MethodType type,
                                     Class<?> declaring, String descriptor, int flags) throws ReflectiveOperationException {
        Class<?> host = ImplHosts.of(caller.lookupClass());
        MethodHandles.Lookup hostLookup = MethodHandles.privateLookupIn(host, caller);
        MethodType callType = MethodType.fromMethodDescriptorString(descriptor, host.getClassLoader());
        MethodHandle special = hostLookup.findSpecial(declaring, name, callType, host);
        return new ConstantCallSite(special.asType(type));
    }

    /** A field a patch added: its shadow storage. */
    public static CallSite shadowField(MethodHandles.Lookup caller, String name, MethodType type,
                                       Class<?> owner, String descriptor, int op) {
        boolean isVolatile = (op & FIELD_VOLATILE) != 0;
        ShadowField field = ShadowField.of(owner, name, descriptor);
        MethodHandle h = switch (op & ~FIELD_VOLATILE) {
            case FIELD_GET -> isVolatile ? ShadowField.GET_VOLATILE : ShadowField.GET;
            case FIELD_PUT -> isVolatile ? ShadowField.PUT_VOLATILE : ShadowField.PUT;
            case FIELD_GET_STATIC -> isVolatile ? ShadowField.GET_STATIC_VOLATILE : ShadowField.GET_STATIC;
            case FIELD_PUT_STATIC -> isVolatile ? ShadowField.PUT_STATIC_VOLATILE : ShadowField.PUT_STATIC;
            default -> throw new IllegalArgumentException("unknown shadow field operation " + op);
        };
        return new ConstantCallSite(field.adapt(h, type));
    }

    /**
     * A patched constructor body writing one of the host's final fields. The JVM reserves such
     * writes to the host's own {@code <init>}; deep reflection on an ordinary class's final
     * instance field grants the same write, and the JIT does not trust those fields as constants.
     */
    public static CallSite finalField(MethodHandles.Lookup caller, String name, MethodType type,
                                      Class<?> owner, String descriptor) throws ReflectiveOperationException {
        MethodHandles.Lookup hostLookup = MethodHandles.privateLookupIn(owner, caller);
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return new ConstantCallSite(hostLookup.unreflectSetter(f).asType(type));
    }

    /** A field the new build made volatile: accessed with volatile semantics through a VarHandle. */
    public static CallSite volatileField(MethodHandles.Lookup caller, String name, MethodType type,
                                         Class<?> owner, String descriptor, int opcode) throws ReflectiveOperationException {
        MethodHandles.Lookup ownerLookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
        Class<?> fieldType = fieldType(descriptor, owner.getClassLoader());
        boolean isStatic = opcode == 0xb2 || opcode == 0xb3; // getstatic, putstatic
        java.lang.invoke.VarHandle vh = isStatic ? ownerLookup.findStaticVarHandle(owner, name, fieldType)
            : ownerLookup.findVarHandle(owner, name, fieldType);
        boolean read = opcode == 0xb2 || opcode == 0xb4; // getstatic, getfield
        return new ConstantCallSite(vh.toMethodHandle(read ? java.lang.invoke.VarHandle.AccessMode.GET_VOLATILE
            : java.lang.invoke.VarHandle.AccessMode.SET_VOLATILE).asType(type));
    }

    /** A protected member inherited from another package, reached through the host's lookup. */
    public static CallSite protectedMember(MethodHandles.Lookup caller, String name, MethodType type,
                                           Class<?> owner, String descriptor, int opcode) throws ReflectiveOperationException {
        Class<?> host = ImplHosts.of(caller.lookupClass());
        MethodHandles.Lookup hostLookup = MethodHandles.privateLookupIn(host, caller);
        ClassLoader loader = host.getClassLoader();
        MethodHandle h = switch (opcode) {
            case 0xb4 -> hostLookup.findGetter(owner, name, fieldType(descriptor, loader));          // getfield
            case 0xb5 -> hostLookup.findSetter(owner, name, fieldType(descriptor, loader));          // putfield
            case 0xb2 -> hostLookup.findStaticGetter(owner, name, fieldType(descriptor, loader));    // getstatic
            case 0xb3 -> hostLookup.findStaticSetter(owner, name, fieldType(descriptor, loader));    // putstatic
            case 0xb8 -> hostLookup.findStatic(owner, name, MethodType.fromMethodDescriptorString(descriptor, loader));
            default -> hostLookup.findVirtual(owner, name, MethodType.fromMethodDescriptorString(descriptor, loader));
        };
        return new ConstantCallSite(h.asType(type));
    }

    /**
     * A private member of another class, or a package-private one of a class in another package,
     * reached through that class's private lookup: only within the caller's host's nest, or for a class
     * the agent granted the caller (one its patch changes or adds; {@link #grantPrivateAccess}).
     * Anything else fails to link (issue 14, item 9): the agent refuses such a patch before it applies,
     * so only a link the agent never checked ends here.
     */
    public static CallSite privateMember(MethodHandles.Lookup caller, String name, MethodType type,
                                         Class<?> owner, String descriptor, int opcode) throws ReflectiveOperationException {
        Class<?> from = caller.lookupClass();
        if (!caller.hasFullPrivilegeAccess() || !PrivateGrants.allows(from, owner)) {
            throw new IllegalAccessException("livepatch4j: " + from.getName() + " may not use " + owner.getName() + "."
                + name + ": patched code reaches private members only of its host's nest and of the classes its "
                + "patch changes or adds");
        }
        MethodHandles.Lookup ownerLookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
        ClassLoader loader = owner.getClassLoader();
        MethodHandle h = switch (opcode) {
            case 0xb4 -> ownerLookup.findGetter(owner, name, fieldType(descriptor, loader));
            case 0xb5 -> ownerLookup.findSetter(owner, name, fieldType(descriptor, loader));
            case 0xb2 -> ownerLookup.findStaticGetter(owner, name, fieldType(descriptor, loader));
            case 0xb3 -> ownerLookup.findStaticSetter(owner, name, fieldType(descriptor, loader));
            case 0xb8 -> ownerLookup.findStatic(owner, name, MethodType.fromMethodDescriptorString(descriptor, loader));
            // findVirtual: a private method is called directly; a package-private one the new build
            // widened is dispatched virtually, as the new build's invokevirtual would be.
            default -> ownerLookup.findVirtual(owner, name, MethodType.fromMethodDescriptorString(descriptor, loader));
        };
        return new ConstantCallSite(h.asType(type));
    }

    /**
     * Lets code of {@code caller} (an implementation class, or a class a patch adds) reach private
     * members of {@code owner} through {@link #privateMember}. The agent grants exactly the owners of
     * the caller's privateMember links, after its rewrite held each to the rule (the host's nest, or a
     * class the patch changes or adds). Public because the agent's tooling lives in another loader;
     * granting gives no code more than MethodHandles.privateLookupIn already gives it on classes of
     * unnamed modules, which are the only ones Dispatch's own private lookup can open.
     */
    public static void grantPrivateAccess(Class<?> caller, Class<?> owner) {
        PrivateGrants.grant(caller, owner);
    }

    /**
     * A lambda or method reference made by code in an implementation class, with the static
     * arguments of {@code LambdaMetafactory.metafactory} (three) or {@code altMetafactory} (more).
     * See {@link Lambdas}: one spun class per lambda, bodies a patch added reached through the host.
     */
    public static CallSite lambda(MethodHandles.Lookup caller, String name, MethodType factoryType, Object... args)
        throws java.lang.invoke.LambdaConversionException {
        return Lambdas.link(caller, name, factoryType, args);
    }

    /**
     * A lambda bridge's call: the body of the host's lambda {@code name + descriptor} in the calling
     * thread's generation, else the creator's body (the call's first argument).
     */
    public static CallSite lambdaBody(MethodHandles.Lookup caller, String callName, MethodType type,
                                      Class<?> host, String name, String descriptor, int flags) {
        MethodType implType = type.dropParameterTypes(0, 1);
        return PatchableClass.of(host).site(name, descriptor, (flags & FLAG_STATIC) != 0, implType).withCreator();
    }

    private static Class<?> fieldType(String descriptor, ClassLoader loader) {
        return MethodType.fromMethodDescriptorString("(" + descriptor + ")V", loader).parameterType(0);
    }
}
