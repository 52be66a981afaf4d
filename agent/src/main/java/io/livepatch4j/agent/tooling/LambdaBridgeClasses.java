package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.rewrite.LambdaBridges;
import org.objectweb.asm.Handle;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Defines the bridge of every lambda whose body a version's implementation class holds (a body a
 * patch added), before the implementation class links any of them: once per lambda and host, in
 * the host's package through the host's lookup, so that every later generation reuses it (see
 * {@code LambdaBridges} and the bootstrap's {@code Lambdas}).
 */
final class LambdaBridgeClasses {

    private LambdaBridgeClasses() {}

    static void define(HostClass h, WrittenClass impl) throws PatchException {
        String host = h.type.getName().replace('.', '/');
        for (Handle body : impl.lambdaBodies) {
            boolean isStatic = body.getName().startsWith("s$");
            String name = body.getName().substring(2);
            String desc = isStatic ? body.getDesc() : withoutReceiver(body.getDesc());
            if (h.runtime.lambdaBridge(name, desc, isStatic) != null) {
                continue;
            }
            try {
                MethodHandles.Lookup hostLookup = MethodHandles.privateLookupIn(h.type, MethodHandles.lookup());
                Class<?> bridge = defineOrFind(hostLookup, h.type, LambdaBridges.className(host, name, desc, isStatic),
                    LambdaBridges.write(host, name, desc, isStatic));
                MethodType type = MethodType.fromMethodDescriptorString(LambdaBridges.descriptor(host, desc, isStatic),
                    h.type.getClassLoader());
                MethodHandle call = hostLookup.findStatic(bridge, LambdaBridges.METHOD, type);
                h.runtime.lambdaBridge(name, desc, isStatic, call);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                throw new PatchException("refused: class " + h.name() + ": the lambda " + name + desc + " that the patch "
                    + "adds cannot be given its bridge class in package " + h.type.getPackageName() + " (" + e
                    + "); nothing was changed", e);
            }
        }
    }

    private static Class<?> defineOrFind(MethodHandles.Lookup hostLookup, Class<?> host, String internalName, byte[] bytes)
        throws IllegalAccessException, ClassNotFoundException {
        try {
            return hostLookup.defineClass(bytes);
        } catch (LinkageError alreadyDefined) {
            // A bridge this JVM defined before (PatchableClass keeps it; this is only a safety net).
            return Class.forName(internalName.replace('/', '.'), false, host.getClassLoader());
        }
    }

    private static String withoutReceiver(String implDesc) {
        int end = implDesc.indexOf(';');
        return "(" + implDesc.substring(end + 1);
    }
}
