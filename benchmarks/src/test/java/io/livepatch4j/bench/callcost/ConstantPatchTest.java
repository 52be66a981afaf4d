package io.livepatch4j.bench.callcost;

import io.livepatch4j.bench.callcost.patchable.Mixer;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.diff.ClassDiff;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The v2 the benchmarks patch in: the same class with one constant of one method changed. */
class ConstantPatchTest {

    @Test
    void swappedClassDiffersOnlyInTheBodyOfTheNamedMethodAndRunsTheNewConstant() throws Throwable {
        byte[] v1 = ConstantPatch.classFile(Mixer.class);
        byte[] v2 = ConstantPatch.swap(v1, "mix", Mixer.SALT_V1, Mixer.SALT_V2);

        ClassDiff.Result diff = ClassDiff.compare(v1, v2);
        assertTrue(diff.refusals().isEmpty(), diff.refusals().toString());
        assertEquals(1, diff.changes().size(), diff.changes().toString());
        assertEquals(ChangeKind.METHOD_BODY, diff.changes().get(0).kind());
        assertTrue(diff.changes().get(0).member().startsWith("mix"), diff.changes().toString());

        // Load the v2 beside v1 and call it: it must return what v2 should.
        Class<?> v2Class = new ClassLoader(null) {
            Class<?> define() {
                return defineClass(Mixer.class.getName(), v2, 0, v2.length);
            }
        }.define();
        Object mixer = v2Class.getConstructor().newInstance();
        int got = (int) MethodHandles.publicLookup().findVirtual(v2Class, "mix",
            java.lang.invoke.MethodType.methodType(int.class, int.class)).invoke(mixer, 77);
        assertEquals(Mixer.expected(77, Mixer.SALT_V2), got);
        assertEquals(Mixer.expected(77, Mixer.SALT_V1), new Mixer().mix(77), "v1 is unchanged");
    }

    @Test
    void refusesWhenTheConstantIsNotThere() {
        byte[] v1 = ConstantPatch.classFile(Mixer.class);
        assertThrows(IllegalArgumentException.class, () -> ConstantPatch.swap(v1, "mix", 12345, 1));
    }
}
