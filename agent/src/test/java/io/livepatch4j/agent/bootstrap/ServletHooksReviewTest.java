package io.livepatch4j.agent.bootstrap;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 15b: ServletHooks against a Servlet 2.5 API (javax.servlet.ServletRequest without
 * isAsyncStarted: Tomcat 6, Jetty 6/7, WebLogic 10, ...). Request.of looks the four method handles up
 * in one go; the missing isAsyncStarted made it NONE, so service() never began a unit: every request
 * on such a container ran outside any unit and could see two generations. (isAsyncStarted is optional
 * now.) And a wrapper that keeps attributes of its own opened an async cycle twice, one hold outliving
 * complete() (startedAsync now opens a cycle once per AsyncContext).
 */
class ServletHooksReviewTest {

    /** A loader defining javax.servlet.ServletRequest (2.5: attributes, no async) and an implementation. */
    static final class Servlet25 extends ClassLoader {
        Servlet25() {
            super(ServletHooksReviewTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] b) {
            return defineClass(name, b, 0, b.length);
        }
    }

    private static byte[] servletRequest25() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT,
            "javax/servlet/ServletRequest", null, "java/lang/Object", null);
        int abs = Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT;
        cw.visitMethod(abs, "getAttribute", "(Ljava/lang/String;)Ljava/lang/Object;", null, null).visitEnd();
        cw.visitMethod(abs, "setAttribute", "(Ljava/lang/String;Ljava/lang/Object;)V", null, null).visitEnd();
        cw.visitMethod(abs, "removeAttribute", "(Ljava/lang/String;)V", null, null).visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** class Req25 extends MapBacked implements javax.servlet.ServletRequest (MapBacked supplies the three methods). */
    private static byte[] request25() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String sup = MapBacked.class.getName().replace('.', '/');
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "review/Req25", null, sup, new String[] {"javax/servlet/ServletRequest"});
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, sup, "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    public static class MapBacked {
        public final Map<String, Object> attributes = new HashMap<>();

        public Object getAttribute(String n) {
            return attributes.get(n);
        }

        public void setAttribute(String n, Object v) {
            attributes.put(n, v);
        }

        public void removeAttribute(String n) {
            attributes.remove(n);
        }
    }

    @Test
    void aServlet25RequestBeginsAUnit() throws Exception {
        Servlet25 loader = new Servlet25();
        loader.define("javax.servlet.ServletRequest", servletRequest25());
        Object request = loader.define("review.Req25", request25()).getConstructor().newInstance();
        assertFalse(Units.inUnit());
        Object token = ServletHooks.service(request);
        try {
            assertNotNull(token, "Servlet.service on a Servlet 2.5 request began no unit: the request runs outside any "
                + "unit (Request.of needs isAsyncStarted, which 2.5 lacks, and gives up on all four handles)");
            assertTrue(Units.inUnit());
        } finally {
            ServletHooks.serviced(request, token);
        }
        assertFalse(Units.inUnit());
    }
    /** javax.servlet.ServletRequest, Servlet 3 shape (with isAsyncStarted). */
    private static byte[] servletRequest30() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V1_6, Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT,
            "javax/servlet/ServletRequest", null, "java/lang/Object", null);
        int abs = Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT;
        cw.visitMethod(abs, "getAttribute", "(Ljava/lang/String;)Ljava/lang/Object;", null, null).visitEnd();
        cw.visitMethod(abs, "setAttribute", "(Ljava/lang/String;Ljava/lang/Object;)V", null, null).visitEnd();
        cw.visitMethod(abs, "removeAttribute", "(Ljava/lang/String;)V", null, null).visitEnd();
        cw.visitMethod(abs, "isAsyncStarted", "()Z", null, null).visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static byte[] implementation(String name, Class<?> superclass) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String sup = superclass.getName().replace('.', '/');
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, name, null, sup, new String[] {"javax/servlet/ServletRequest"});
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, sup, "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    public static class AsyncBacked extends MapBacked {
        public boolean isAsyncStarted() {
            return true;
        }
    }

    /**
     * A request wrapper that namespaces the attributes it is given (a portlet container's, a
     * multi-tenant framework's): getAttribute/setAttribute(n) go to the wrapped request as prefix + n.
     * Its startAsync delegates to the wrapped request (whose hook runs first).
     */
    public static class Namespacing extends AsyncBacked {
        public MapBacked wrapped;

        @Override
        public Object getAttribute(String n) {
            return wrapped.getAttribute("portlet1." + n);
        }

        @Override
        public void setAttribute(String n, Object v) {
            wrapped.setAttribute("portlet1." + n, v);
        }

        @Override
        public void removeAttribute(String n) {
            wrapped.removeAttribute("portlet1." + n);
        }
    }

    /**
     * Review 15b: startedAsync relies on "wrappers delegate to the request they wrap, whose hook ran
     * first and set the attribute". A wrapper whose attributes are its own (namespaced) does not see
     * the attribute, so the same AsyncContext is opened twice: two detached holds, and the cycle's end
     * (complete(), Units.requestDone) releases one. The request's unit stays open until the
     * AsyncContext is collected, and every transition waits for it meanwhile.
     */
    @Test
    void anAttributeIsolatingWrapperDoesNotOpenTheCycleTwice() throws Exception {
        Servlet25 loader = new Servlet25();
        loader.define("javax.servlet.ServletRequest", servletRequest30());
        Object inner = loader.define("review.Inner", implementation("review/Inner", AsyncBacked.class)).getConstructor().newInstance();
        Object wrapper = loader.define("review.Wrapper", implementation("review/Wrapper", Namespacing.class)).getConstructor().newInstance();
        ((Namespacing) wrapper).wrapped = (MapBacked) inner;
        Object asyncContext = new Object();

        Object token = ServletHooks.service(inner);
        assertNotNull(token);
        ServletHooks.startedAsync(inner, asyncContext);   // Request.startAsync, returned
        ServletHooks.startedAsync(wrapper, asyncContext); // the wrapper's startAsync, returned after it
        ServletHooks.serviced(inner, token);              // the dispatch ends, async started: the cycle stays open
        assertTrue(Units.requestOpen(asyncContext));

        Units.requestDone(asyncContext);                  // AsyncContext.complete()
        assertFalse(Units.requestOpen(asyncContext), "the async cycle ended, but the AsyncContext still holds the "
            + "request's unit open (opened twice: once per request object on the wrapper chain)");
    }
}
