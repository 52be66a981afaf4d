package io.livepatch4j.it.review.app.r27;

import io.livepatch4j.it.review27.R27Park;

/** Review 27: many sites, each first entered from outside every unit during a transition. */
public class R27Entry {

    public static String hold() {
        R27Park.park("hold");
        return "h1";
    }

    public static String e0(int x) {
        String a = R27Tag.tag();
        R27Park.park("e0");
        return a + "/" + R27Tag.tag();
    }

    public static String e1(int x) {
        String a = R27Tag.tag();
        R27Park.park("e1");
        return a + "/" + R27Tag.tag();
    }

    public static String e2(int x) {
        String a = R27Tag.tag();
        R27Park.park("e2");
        return a + "/" + R27Tag.tag();
    }

    public static String e3(int x) {
        String a = R27Tag.tag();
        R27Park.park("e3");
        return a + "/" + R27Tag.tag();
    }

    public static String e4(int x) {
        String a = R27Tag.tag();
        R27Park.park("e4");
        return a + "/" + R27Tag.tag();
    }

    public static String e5(int x) {
        String a = R27Tag.tag();
        R27Park.park("e5");
        return a + "/" + R27Tag.tag();
    }

    public static String e6(int x) {
        String a = R27Tag.tag();
        R27Park.park("e6");
        return a + "/" + R27Tag.tag();
    }

    public static String e7(int x) {
        String a = R27Tag.tag();
        R27Park.park("e7");
        return a + "/" + R27Tag.tag();
    }

    public static String e8(int x) {
        String a = R27Tag.tag();
        R27Park.park("e8");
        return a + "/" + R27Tag.tag();
    }

    public static String e9(int x) {
        String a = R27Tag.tag();
        R27Park.park("e9");
        return a + "/" + R27Tag.tag();
    }

    public static String e10(int x) {
        String a = R27Tag.tag();
        R27Park.park("e10");
        return a + "/" + R27Tag.tag();
    }

    public static String e11(int x) {
        String a = R27Tag.tag();
        R27Park.park("e11");
        return a + "/" + R27Tag.tag();
    }
}
