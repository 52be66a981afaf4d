package io.livepatch4j.release;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refusal wordings the corpus produced (patch-core's messages) land in the reason class the table names. */
class RefusalReasonsTest {

    @Test
    void knownWordingsMapToTheirReasonClass() {
        assertEquals("added overridable method",
            RefusalReasons.of("a public instance method was added (a loaded class cannot get new overridable methods)"));
        assertEquals("removed method", RefusalReasons.of("the static method was removed; code outside the patch may still call it"));
        assertEquals("constructor added", RefusalReasons.of("a constructor was added (constructors cannot be added to a loaded class)"));
        assertEquals("static initializer changed",
            RefusalReasons.of("a static initializer was added (a loaded class is never initialized again)"));
        assertEquals("super(...) arguments changed", RefusalReasons.of("the constructor's super(...)/this(...) call or the code "
            + "computing its arguments changed (that code runs before the object exists)"));
        assertEquals("final instance field added", RefusalReasons.of("a final instance field was added: the new constructors "
            + "always set it, but objects that exist when the patch is applied never ran them and would hold false"));
        assertEquals("field type changed", RefusalReasons.of("the field's type changed from java.util.Map to java.util.List "
            + "(the field layout of loaded objects cannot change)"));
        assertEquals("method modifiers changed", RefusalReasons.of("the method's modifiers changed from 'public' to 'public final'"));
        assertEquals("class modifiers changed", RefusalReasons.of("its class modifiers changed from 'final' to 'package-private'"));
        assertEquals("hierarchy changed", RefusalReasons.of("its superclass changed from java.lang.Object to a.B (a loaded "
            + "class's hierarchy cannot change)"));
        assertEquals("class file older than Java 7 (no stack map frames)",
            RefusalReasons.of("class file version 50 predates stack map frames"));
        assertEquals("uses a member added to a class left out", RefusalReasons.of("it uses a.B#m()V, which the new build adds "
            + "to a.B, a class left out of the patch: the running JVM does not have it"));
        assertEquals("added class's supertype is otherwise in the running JVM", RefusalReasons.of("the class the patch adds "
            + "implements a.Layout$Serializer, which the running JVM has as a class, not an interface: a loaded class keeps "
            + "the kind and modifiers it was loaded with, whatever the new build says, so the JVM would refuse to define the "
            + "new class (IncompatibleClassChangeError)"));
    }

    @Test
    void anUnknownWordingIsKeptNotHidden() {
        assertTrue(RefusalReasons.of("something new the builder says").startsWith("other: something new"));
    }
}
