package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;

/**
 * The agent's bootstrap methods that rewritten code links to. They live on the bootstrap class
 * path ({@code io.livepatch4j.agent.bootstrap.Dispatch}) so every class loader sees them. The
 * descriptors here and the methods there must match; the agent's tests link every one of them.
 */
public final class RuntimeNames {

    public static final String DISPATCH = "io/livepatch4j/agent/bootstrap/Dispatch";

    private static final String LOOKUP = "Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;";
    private static final String CALL_SITE = ")Ljava/lang/invoke/CallSite;";

    /** Host prologue: is this class patched? {@code ()Z}. */
    public static final Handle GUARD = bsm("guard", "(" + LOOKUP + CALL_SITE);

    /** Host prologue: run the thread's generation of this method. Args: original name, descriptor, flags. */
    public static final Handle METHOD = bsm("method", "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/String;I" + CALL_SITE);

    /** Patched code calling a method that a patch added to a class. Args: owner, name, descriptor, flags. */
    public static final Handle ADDED_METHOD =
        bsm("addedMethod", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;Ljava/lang/String;I" + CALL_SITE);

    /**
     * Patched code calling an overridable method that a patch added: dispatched over the receiver's
     * class. Args: the class the call names, name, descriptor, flags.
     */
    public static final Handle ADDED_VIRTUAL =
        bsm("addedVirtual", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;Ljava/lang/String;I" + CALL_SITE);

    /**
     * An added constructor's factory making its object: {@code (Object ignored, args)C}. Args: the
     * class whose constructor its super(...)/this(...) call names, that constructor's descriptor.
     */
    public static final Handle NEW_INSTANCE = bsm("newInstance", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;" + CALL_SITE);

    /**
     * A constructor's switch over the variants of its super(...)/this(...) call: the number of the
     * calling thread's generation's variant, 0 for the loaded one. Args: the constructor's descriptor.
     */
    public static final Handle CONSTRUCTOR_PREFIX = bsm("constructorPrefix", "(" + LOOKUP + "Ljava/lang/String;" + CALL_SITE);

    /** Patched code calling {@code super.m(...)}. Args: the class that declares the called method, flags. */
    public static final Handle SUPER_CALL = bsm("superCall", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;I" + CALL_SITE);

    /** Patched code reading or writing a field a patch added. Args: owner, descriptor, operation. */
    public static final Handle SHADOW_FIELD = bsm("shadowField", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;I" + CALL_SITE);

    /** Patched constructor code writing a final field. Args: owner, descriptor. */
    public static final Handle FINAL_FIELD = bsm("finalField", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;" + CALL_SITE);

    /** Patched code reading or writing a field the new build made volatile. Args: owner, descriptor, opcode. */
    public static final Handle VOLATILE_FIELD =
        bsm("volatileField", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;I" + CALL_SITE);

    /** Patched code reaching a protected member inherited from another package. Args: owner, descriptor, opcode. */
    public static final Handle PROTECTED_MEMBER =
        bsm("protectedMember", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;I" + CALL_SITE);

    /** Patched code reaching a private member of another class (nest membership of loaded classes is fixed). */
    public static final Handle PRIVATE_MEMBER =
        bsm("privateMember", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;I" + CALL_SITE);

    /**
     * A lambda or method reference made by code in an implementation class; the same static
     * arguments as {@code LambdaMetafactory.metafactory} or {@code altMetafactory} (told apart by
     * their number). The JDK's class for it is spun once per lambda, not once per generation.
     */
    public static final Handle LAMBDA = bsm("lambda", "(" + LOOKUP + "[Ljava/lang/Object;" + CALL_SITE);

    /**
     * In a lambda bridge: the body of one lambda in the calling thread's generation, or, where that
     * generation has none, the creating version's body, passed as the first argument. Args: host,
     * the body's name and descriptor in the host, flags.
     */
    public static final Handle LAMBDA_BODY =
        bsm("lambdaBody", "(" + LOOKUP + "Ljava/lang/Class;Ljava/lang/String;Ljava/lang/String;I" + CALL_SITE);

    /** {@link #METHOD} and {@link #ADDED_METHOD} flags. */
    public static final int FLAG_STATIC = 1;
    public static final int FLAG_INTERFACE = 2;

    /** {@link #SHADOW_FIELD} operations. */
    public static final int FIELD_GET = 0;
    public static final int FIELD_PUT = 1;
    public static final int FIELD_GET_STATIC = 2;
    public static final int FIELD_PUT_STATIC = 3;
    public static final int FIELD_VOLATILE = 4;

    private RuntimeNames() {}

    private static Handle bsm(String name, String desc) {
        return new Handle(Opcodes.H_INVOKESTATIC, DISPATCH, name, desc, false);
    }
}
