package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.Type;

/**
 * Names inside an implementation class: the hidden class holding one version of a host class's
 * methods as static methods. An instance method {@code m(I)V} of {@code Host} becomes
 * {@code i$m(LHost;I)V}, a static one {@code s$m(I)V}, a constructor body {@code c$init(LHost;...)V};
 * the prefixes keep an instance and a static method with the same static signature apart.
 */
public final class ImplNames {

    private ImplNames() {}

    /** The implementation class's name as written in its bytes; the JVM makes each hidden class unique. */
    public static String implClass(String hostInternalName) {
        return hostInternalName + "$$Lp4j";
    }

    public static String method(String name, boolean isStatic) {
        if ("<init>".equals(name)) {
            return "c$init";
        }
        return (isStatic ? "s$" : "i$") + name;
    }

    /** The static descriptor: the receiver becomes the first parameter; constructors return void. */
    public static String descriptor(String hostInternalName, String desc, boolean isStatic) {
        if (isStatic) {
            return desc;
        }
        Type[] args = Type.getArgumentTypes(desc);
        Type[] withSelf = new Type[args.length + 1];
        withSelf[0] = Type.getObjectType(hostInternalName);
        System.arraycopy(args, 0, withSelf, 1, args.length);
        return Type.getMethodDescriptor(Type.getReturnType(desc), withSelf);
    }

    /** A host method as the implementation class names it (see {@link #hostMember}). */
    public record HostMember(String name, String descriptor, boolean isStatic) {
    }

    /** The host's member an implementation method holds: {@code i$m(LHost;I)V} is instance {@code m(I)V}. */
    public static HostMember hostMember(String implName, String implDesc) {
        boolean ctor = implName.equals("c$init");
        if (ctor || implName.startsWith("i$")) {
            String rest = "(" + implDesc.substring(implDesc.indexOf(';') + 1);
            return new HostMember(ctor ? "<init>" : implName.substring(2), rest, false);
        }
        return new HostMember(implName.substring(2), implDesc, true);
    }
}
