package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.CarriedTask;
import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.TaskHooks;
import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.asm.Advice;

/**
 * Work an async servlet request hands to the container, for both Servlet APIs (the advice reads no
 * API type): listeners it registers ({@code AsyncContext.addListener}, {@code setReadListener},
 * {@code setWriteListener}) run in the request's unit while that is open, whichever container thread
 * calls them (Tomcat calls a ReadListener's {@code onAllDataRead} from a socket task, Undertow from
 * an I/O thread); a Runnable given to {@code AsyncContext.start} carries the request's unit to
 * whatever pool the container runs it on. A listener is registered work ({@link Register} where it
 * is added): it never holds the unit open (the async cycle does, until the container ends it).
 */
final class ServletCallbacks {

    private ServletCallbacks() {}

    /** A listener registered ({@code addListener}, {@code setReadListener}, {@code setWriteListener}): it joins the registering unit if that is still open when it runs. */
    public static final class Register {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object work) {
            TaskHooks.register(work);
        }
    }

    /** A listener's callback: in the request's unit while it is open, else a unit of its own. */
    public static final class Called {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object listener) {
            return Units.enterRegistered(listener, UnitKind.SERVLET_REQUEST);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** AsyncContext.start(Runnable): the Runnable carries the request's unit to the container's pool. */
    public static final class Start {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
            task = CarriedTask.of(task);
        }
    }
}
