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
     * {@link Submissions#submitting}, unless it is a scheduled task. Scheduled from outside the loop, a
     * timeout or a periodic task is handed to the loop through execute so that it queues itself; it
     * may outlive the work that scheduled it, so it carries nothing: it was registered in that work's
     * unit as it was scheduled (AbstractScheduledEventExecutor.schedule), and runs in it only while
     * that is open, as on the JDK's schedulers.
     * Like every hook woven into Netty's classes here, it never throws (see {@link TaskHooks}).
     */
    public static Object submitting(Object task) {
        try {
            if (task == null || SCHEDULED_TASKS.get(task.getClass())) {
                return null;
            }
            return Submissions.submitting(task, null);
        } catch (Throwable e) {
            return null;
        }
    }

    /** AbstractEventExecutor.runTask: the task runs in the unit it carries, else in one of its own. */
    public static Object task(Object task) {
        try {
            return Units.enterTask(task, UnitKind.NETTY_TASK);
        } catch (Throwable e) {
            return null;
        }
    }

    /** An inbound event enters the pipeline: it joins the channel's open request, else is a unit of its own. */
    public static Object event(Object pipeline) {
        try {
            return Units.enterRequest(pipeline, UnitKind.NETTY_EVENT);
        } catch (Throwable e) {
            return null;
        }
    }

    /** fireChannelInactive, left: after the handlers ran, the channel's pending requests hold nothing open. */
    public static void inactive(Object pipeline, Object token) {
        try {
            Units.requestsClosed(pipeline);
        } catch (Throwable e) {
            // never into Netty's code
        }
        TaskHooks.exitTask(token);
    }

    /**
     * A handler passes a message on: an HttpRequest (from the HTTP decoder) begins its request's unit,
     * which the pipeline holds open until the response's last content is written; the next handlers
     * run in it, and so do the request's body pieces (HttpContent), decoded in the same read or a later
     * one. Other messages stay in the event's unit (a lookup per hop only for HTTP messages).
     */
    public static Object read(Object pipeline, Object msg) {
        try {
            if (isRequest(msg)) {
                return Units.openRequest(pipeline, UnitKind.NETTY_REQUEST);
            }
            return isContent(msg) ? Units.enterRequest(pipeline, UnitKind.NETTY_EVENT) : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /** HttpObjectEncoder.write of a LastHttpContent (or a FullHttpResponse), left: the response is complete. */
    public static void written(Object context, Object msg) {
        try {
            if (isLast(msg)) {
                Units.requestDone(pipeline(context));
            }
        } catch (Throwable e) {
            // never into Netty's code
        }
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
