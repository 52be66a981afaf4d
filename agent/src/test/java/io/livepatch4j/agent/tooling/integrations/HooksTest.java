package io.livepatch4j.agent.tooling.integrations;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hooks woven with plain ASM: the entry call's result reaches the exit call, the exit call runs on
 * every return and, if asked, on a throw (which goes on), the return value is passed and kept, calls
 * are swapped; and the woven class passes the JVM's verifier (it is defined by a loader of its own,
 * whose classes are verified).
 */
class HooksTest {

    /** The class the hooks are woven into. */
    public static class Subject {
        private final String label = "L";

        public String label() {
            return label;
        }

        public long generation() {
            return 0;
        }

        public String caught() {
            try {
                return "value";
            } catch (RuntimeException e) {
                return "caught by the method";
            }
        }

        public static String twice(String s) {
            return s + s;
        }

        public void runTask(Runnable task) {
            task.run();
        }

        public String greet(String name) {
            if (name.isEmpty()) {
                return "nobody";
            }
            return "hello " + name;
        }

        public void fail(String why) {
            try {
                Integer.parseInt(why); // its own handler catches first
            } catch (NumberFormatException e) {
                throw new IllegalStateException(why);
            }
        }

        public boolean cancel(boolean really) {
            return really;
        }

        public long sum(long a, int b) {
            return a + b;
        }

        public void run(Runnable task) {
            task.run();
        }
    }

    /** The hooks: static methods that record what they are given. */
    public static final class Recorder {
        static final List<String> EVENTS = new ArrayList<>();

        public static Object enter(Object self, Object arg) {
            // The woven Subject is another class than this test's (its own loader): compared by name.
            EVENTS.add("enter " + arg + (self.getClass().getName().equals(Subject.class.getName()) ? "" : " (not this)"));
            return "token-" + arg;
        }

        public static void exit(Object token) {
            EVENTS.add("exit " + token);
        }

        public static void returned(Object self, boolean value) {
            EVENTS.add("returned " + value);
        }

        public static boolean second(int arg) {
            EVENTS.add("second " + arg);
            return true;
        }

        public static void done(boolean flag) {
            EVENTS.add("done " + flag);
        }

        public static Object field(Object value) {
            EVENTS.add("field " + value);
            return "token-" + value;
        }

        public static void thrown(Object token, Throwable thrown) {
            EVENTS.add("thrown " + token + " " + (thrown == null ? "null" : thrown.getMessage()));
        }

        public static long replaced(long original) {
            EVENTS.add("replaced " + original);
            return 42;
        }

        public static Runnable wrapped(Runnable task) {
            return () -> {
                EVENTS.add("wrapped");
                task.run();
            };
        }

        public static void built(Object self) {
            EVENTS.add("built " + self.getClass().getName().substring(self.getClass().getName().lastIndexOf('$') + 1));
        }

        public static Object staticArg(Object arg) {
            EVENTS.add("static " + arg);
            return null;
        }

        public static Object explode(Object self) {
            EVENTS.add("explode");
            throw new IllegalStateException("a hook that throws");
        }

        public static void swapped(Runnable task) {
            EVENTS.add("swapped");
            task.run();
        }
    }

    private static final String RECORDER = Recorder.class.getName().replace('.', '/');
    private static final String SUBJECT = Subject.class.getName().replace('.', '/');

    @BeforeEach
    void clear() {
        Recorder.EVENTS.clear();
    }

    @Test
    void theEntryResultReachesTheExitCallOnEveryReturn() throws Exception {
        Object subject = woven(new Hooks.MethodHook("greet", Hooks.parameters("(Ljava/lang/String;)"),
            new Hooks.Call(RECORDER, "enter", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;",
                Hooks.Source.THIS, Hooks.Source.ARG0),
            new Hooks.Call(RECORDER, "exit", "(Ljava/lang/Object;)V", Hooks.Source.ENTER), true));
        Method greet = subject.getClass().getMethod("greet", String.class);
        assertEquals("hello ann", greet.invoke(subject, "ann"));
        assertEquals("nobody", greet.invoke(subject, ""));
        assertEquals(List.of("enter ann", "exit token-ann", "enter ", "exit token-"), Recorder.EVENTS);
    }

    @Test
    void aThrowRunsTheExitCallAndGoesOnUnlessTheMethodCatchesItItself() throws Exception {
        Object subject = woven(new Hooks.MethodHook("fail", Hooks.any(),
            new Hooks.Call(RECORDER, "enter", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;",
                Hooks.Source.THIS, Hooks.Source.ARG0),
            new Hooks.Call(RECORDER, "exit", "(Ljava/lang/Object;)V", Hooks.Source.ENTER), true));
        Method fail = subject.getClass().getMethod("fail", String.class);
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class, () -> fail.invoke(subject, "x"));
        assertEquals("x", thrown.getCause().getMessage(), "the method's own exception goes on");
        fail.invoke(subject, "42");
        assertEquals(List.of("enter x", "exit token-x", "enter 42", "exit token-42"), Recorder.EVENTS);
    }

    @Test
    void theReturnValueIsPassedAndKeptAndWideArgumentsAreFound() throws Exception {
        Object subject = woven(
            new Hooks.MethodHook("cancel", Hooks.parameters("(Z)"), null,
                new Hooks.Call(RECORDER, "returned", "(Ljava/lang/Object;Z)V", Hooks.Source.THIS, Hooks.Source.RETURN), false),
            new Hooks.MethodHook("sum", Hooks.arguments(2),
                new Hooks.Call(RECORDER, "second", "(I)Z", Hooks.Source.ARG1),
                new Hooks.Call(RECORDER, "done", "(Z)V", Hooks.Source.ENTER), true));
        assertEquals(true, subject.getClass().getMethod("cancel", boolean.class).invoke(subject, true));
        assertEquals(false, subject.getClass().getMethod("cancel", boolean.class).invoke(subject, false));
        assertEquals(7L, subject.getClass().getMethod("sum", long.class, int.class).invoke(subject, 5L, 2));
        assertEquals(List.of("returned true", "returned false", "second 2", "done true"), Recorder.EVENTS);
    }

    @Test
    void aCallInsideAMethodIsSwappedForTheHook() throws Exception {
        Object subject = woven(List.of(), List.of(new Hooks.CallSwap("run", "java/lang/Runnable", "run", "()V",
            new Hooks.Call(RECORDER, "swapped", "(Ljava/lang/Runnable;)V"))));
        List<String> ran = new ArrayList<>();
        subject.getClass().getMethod("run", Runnable.class).invoke(subject, (Runnable) () -> ran.add("task"));
        assertEquals(List.of("swapped"), Recorder.EVENTS);
        assertEquals(List.of("task"), ran);
    }

    @Test
    void aFieldOfThisIsPassedAndTheThrownExceptionOrNull() throws Exception {
        Object subject = woven(
            new Hooks.MethodHook("label", Hooks.arguments(0),
                new Hooks.Call(RECORDER, "field", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.FIELD).field("label"),
                new Hooks.Call(RECORDER, "thrown", "(Ljava/lang/Object;Ljava/lang/Throwable;)V", Hooks.Source.ENTER,
                    Hooks.Source.THROWN), true),
            new Hooks.MethodHook("fail", Hooks.any(), null,
                new Hooks.Call(RECORDER, "thrown", "(Ljava/lang/Object;Ljava/lang/Throwable;)V", Hooks.Source.ARG0,
                    Hooks.Source.THROWN), true));
        assertEquals("L", subject.getClass().getMethod("label").invoke(subject));
        assertThrows(InvocationTargetException.class, () -> subject.getClass().getMethod("fail", String.class).invoke(subject, "x"));
        assertEquals(List.of("field L", "thrown token-L null", "thrown x x"), Recorder.EVENTS);
    }

    @Test
    void anExitCallReplacesTheReturnValueAndAnEntryCallTheFirstArgument() throws Exception {
        Object subject = woven(
            new Hooks.MethodHook("generation", Hooks.arguments(0), null,
                new Hooks.Call(RECORDER, "replaced", "(J)J", Hooks.Source.RETURN).into(Hooks.Source.RETURN), false),
            new Hooks.MethodHook("runTask", Hooks.any(),
                new Hooks.Call(RECORDER, "wrapped", "(Ljava/lang/Runnable;)Ljava/lang/Runnable;", Hooks.Source.ARG0)
                    .into(Hooks.Source.ARG0), null, false));
        assertEquals(42L, subject.getClass().getMethod("generation").invoke(subject));
        subject.getClass().getMethod("runTask", Runnable.class).invoke(subject, (Runnable) () -> Recorder.EVENTS.add("task"));
        assertEquals(List.of("replaced 0", "wrapped", "task"), Recorder.EVENTS);
    }

    @Test
    void constructorsAndStaticMethodsGetTheirHooks() throws Exception {
        Object subject = woven(
            new Hooks.MethodHook("<init>", Hooks.arguments(0), null,
                new Hooks.Call(RECORDER, "built", "(Ljava/lang/Object;)V", Hooks.Source.THIS), false),
            new Hooks.MethodHook("twice", Hooks.any(),
                new Hooks.Call(RECORDER, "staticArg", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0),
                new Hooks.Call(RECORDER, "exit", "(Ljava/lang/Object;)V", Hooks.Source.ENTER), true));
        assertEquals("abab", subject.getClass().getMethod("twice", String.class).invoke(null, "ab"));
        assertEquals(List.of("built Subject", "static ab", "exit null"), Recorder.EVENTS);
    }

    @Test
    void whatAHookCallThrowsNeverReachesTheMethodNorItsHandlers() throws Exception {
        Hooks.Call explode = new Hooks.Call(RECORDER, "explode", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS);
        Object subject = woven(
            new Hooks.MethodHook("caught", Hooks.arguments(0), explode,
                new Hooks.Call(RECORDER, "exit", "(Ljava/lang/Object;)V", Hooks.Source.ENTER), true),
            new Hooks.MethodHook("label", Hooks.arguments(0), null,
                new Hooks.Call(RECORDER, "explode", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS), true));
        assertEquals("value", subject.getClass().getMethod("caught").invoke(subject),
            "the method's own handler must not see the hook's exception");
        assertEquals("L", subject.getClass().getMethod("label").invoke(subject), "the return value outlives a failed exit call");
        assertEquals(List.of("explode", "exit null", "explode"), Recorder.EVENTS,
            "a failed entry call gives its fallback (null) to the exit call, which runs once");
    }

    @Test
    void hooksThatCannotBeWovenAreRefusedWithTheReason() {
        IllegalArgumentException noField = assertThrows(IllegalArgumentException.class, () -> Hooks.weave(classFile(),
            List.of(new Hooks.ClassHooks(SUBJECT, false, List.of(), List.of(new Hooks.MethodHook("greet", Hooks.any(),
                new Hooks.Call(RECORDER, "field", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.FIELD).field("missing"),
                null, false)), List.of())), loader()));
        assertTrue(noField.getMessage().contains("declares no instance field missing"), noField.getMessage());
        IllegalArgumentException constructor = assertThrows(IllegalArgumentException.class, () -> new Hooks.MethodHook("<init>",
            Hooks.any(), null, new Hooks.Call(RECORDER, "built", "(Ljava/lang/Object;)V", Hooks.Source.THIS), true));
        assertTrue(constructor.getMessage().contains("constructor"), constructor.getMessage());
    }

    @Test
    void aClassNoHookMatchesIsLeftAsItIs() throws Exception {
        assertNull(Hooks.weave(classFile(), List.of(new Hooks.ClassHooks("some/Other", false, List.of(),
            List.of(new Hooks.MethodHook("greet", Hooks.any(), null, null, false)), List.of())), loader()));
    }

    private static Object woven(Hooks.MethodHook... hooks) throws Exception {
        return woven(List.of(hooks), List.of());
    }

    private static Object woven(List<Hooks.MethodHook> hooks, List<Hooks.CallSwap> swaps) throws Exception {
        byte[] bytes = Hooks.weave(classFile(), List.of(new Hooks.ClassHooks(SUBJECT, false, List.of(), hooks, swaps)), loader());
        ClassLoader own = new ClassLoader(HooksTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(Subject.class.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return own.loadClass(Subject.class.getName()).getConstructor().newInstance();
    }

    private static ClassLoader loader() {
        return HooksTest.class.getClassLoader();
    }

    private static byte[] classFile() throws IOException {
        try (InputStream in = loader().getResourceAsStream(SUBJECT + ".class")) {
            return in.readAllBytes();
        }
    }
}
