package io.livepatch4j.agent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuardSwitchTest {

    static final class A { }
    static final class B { }
    static final class C { }
    static final class D { }
    static final class E { }

    private static boolean reads(PatchableClass c) throws Throwable {
        return (boolean) c.guard().getTarget().invokeExact();
    }

    @Test
    void turningOffEveryHolderOfASwitchInvalidatesItOnceAndEachGuardReadsFalse() throws Throwable {
        PatchableClass a = PatchableClass.of(A.class);
        PatchableClass b = PatchableClass.of(B.class);
        GuardSwitch on = new GuardSwitch();
        a.guardOn(on);
        b.guardOn(on);
        assertTrue(reads(a) && reads(b) && a.patched() && b.patched());
        PatchableClass.guardsOff(List.of(a, b));
        assertTrue(on.point.hasBeenInvalidated());
        assertFalse(reads(a) || reads(b) || a.patched() || b.patched());
        assertEquals(0, on.holders);
        // On again, with a new switch: the invalidated one holds nothing any more.
        GuardSwitch again = new GuardSwitch();
        a.guardOn(again);
        assertTrue(reads(a));
        assertFalse(reads(b));
        a.guard(false);
        assertFalse(reads(a));
    }

    @Test
    void turningOffSomeHoldersLeavesTheSwitchAndTheOthersOn() throws Throwable {
        PatchableClass c = PatchableClass.of(C.class);
        PatchableClass d = PatchableClass.of(D.class);
        PatchableClass e = PatchableClass.of(E.class);
        GuardSwitch on = new GuardSwitch();
        c.guardOn(on);
        d.guardOn(on);
        e.guardOn(on);
        PatchableClass.guardsOff(List.of(c));
        assertFalse(on.point.hasBeenInvalidated());
        assertFalse(reads(c) || c.patched());
        assertTrue(reads(d) && reads(e) && d.patched() && e.patched());
        assertEquals(2, on.holders);
        // The two left are every holder now: one invalidation for both.
        PatchableClass.guardsOff(List.of(d, e));
        assertTrue(on.point.hasBeenInvalidated());
        assertFalse(reads(d) || reads(e));
    }
}
