package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * What the Netty integration's advice asks about Netty's own objects. The agent is not compiled
 * against Netty (it must load where Netty is absent), so its advice cannot name Netty's types; these
 * answers go by type name and are cached per class, so each costs a ClassValue lookup.
 */
public final class NettyHooks {

    private static final String HTTP_REQUEST = "io.netty.handler.codec.http.HttpRequest";
    private static final String CONTENT = "io.netty.handler.codec.http.HttpContent";
    private static final String LAST_CONTENT = "io.netty.handler.codec.http.LastHttpContent";
    private static final String CONTEXT = "io.netty.channel.ChannelHandlerContext";
    private static final String SCHEDULED = "io.netty.util.concurrent.ScheduledFutureTask";

    private static final ClassValue<Boolean> REQUESTS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isA(type, HTTP_REQUEST);
        }
    };
    private static final ClassValue<Boolean> CONTENTS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isA(type, CONTENT);
        }
    };
    private static final ClassValue<Boolean> LAST_CONTENTS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isA(type, LAST_CONTENT);
        }
    };
    private static final ClassValue<Boolean> SCHEDULED_TASKS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isA(type, SCHEDULED);
        }
    };
    /** ChannelHandlerContext.pipeline() for each context class, as (Object) -> Object; null if it has none. */
    private static final ClassValue<MethodHandle> PIPELINE = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            Class<?> context = find(type, CONTEXT);
            if (context == null) {
                return null;
            }
            try {
                return MethodHandles.publicLookup().unreflect(context.getMethod("pipeline"))
                    .asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    private NettyHooks() {}

    /**
     * An event loop's execute or lazyExecute begins: the task carries the calling thread's unit, as
     * {@link Units#submitting}, unless it is a scheduled task. Scheduled from outside the loop, a
     * timeout or a periodic task is handed to the loop through execute so that it queues itself; it
     * outlives the work that scheduled it and begins units of its own, as on the JDK's scheduler.
     */
    public static boolean submitting(Object task) {
        if (task == null || SCHEDULED_TASKS.get(task.getClass())) {
            return false;
        }
        return Units.submitting(task);
    }

    /** Whether {@code msg} is an HTTP request's head (HttpRequest, FullHttpRequest). */
    public static boolean isRequest(Object msg) {
        return msg != null && REQUESTS.get(msg.getClass());
    }

    /** Whether {@code msg} is a piece of an HTTP message's body (HttpContent, LastHttpContent). */
    public static boolean isContent(Object msg) {
        return msg != null && CONTENTS.get(msg.getClass());
    }

    /** Whether {@code msg} ends an HTTP message (LastHttpContent, FullHttpResponse). */
    public static boolean isLast(Object msg) {
        return msg != null && LAST_CONTENTS.get(msg.getClass());
    }

    /** The pipeline of a ChannelHandlerContext (the key of its channel's requests), or null. */
    public static Object pipeline(Object context) {
        MethodHandle pipeline = context == null ? null : PIPELINE.get(context.getClass());
        if (pipeline == null) {
            return null;
        }
        try {
            return (Object) pipeline.invokeExact(context);
        } catch (Throwable e) {
            return null;
        }
    }

    private static boolean isA(Class<?> type, String name) {
        return find(type, name) != null;
    }

    /** The class or interface named {@code name} among {@code type} and its supertypes, or null. */
    private static Class<?> find(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return c;
            }
            for (Class<?> i : c.getInterfaces()) {
                Class<?> found = find(i, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
