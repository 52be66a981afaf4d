package io.livepatch4j.it.review18b;

import io.livepatch4j.it.review.app.Rv18Side;

/** Calls every method of Rv18Side from a plain thread (no unit of work); not a prepared class. */
final class Rv18Caller {
    private Rv18Caller() {}
    static long round() {
        long s = 0;
        s += Rv18Side.m0();
        s += Rv18Side.m1();
        s += Rv18Side.m2();
        s += Rv18Side.m3();
        s += Rv18Side.m4();
        s += Rv18Side.m5();
        s += Rv18Side.m6();
        s += Rv18Side.m7();
        s += Rv18Side.m8();
        s += Rv18Side.m9();
        s += Rv18Side.m10();
        s += Rv18Side.m11();
        s += Rv18Side.m12();
        s += Rv18Side.m13();
        s += Rv18Side.m14();
        s += Rv18Side.m15();
        s += Rv18Side.m16();
        s += Rv18Side.m17();
        s += Rv18Side.m18();
        s += Rv18Side.m19();
        s += Rv18Side.m20();
        s += Rv18Side.m21();
        s += Rv18Side.m22();
        s += Rv18Side.m23();
        s += Rv18Side.m24();
        s += Rv18Side.m25();
        s += Rv18Side.m26();
        s += Rv18Side.m27();
        s += Rv18Side.m28();
        s += Rv18Side.m29();
        s += Rv18Side.m30();
        s += Rv18Side.m31();
        s += Rv18Side.m32();
        s += Rv18Side.m33();
        s += Rv18Side.m34();
        s += Rv18Side.m35();
        s += Rv18Side.m36();
        s += Rv18Side.m37();
        s += Rv18Side.m38();
        s += Rv18Side.m39();
        s += Rv18Side.m40();
        s += Rv18Side.m41();
        s += Rv18Side.m42();
        s += Rv18Side.m43();
        s += Rv18Side.m44();
        s += Rv18Side.m45();
        s += Rv18Side.m46();
        s += Rv18Side.m47();
        s += Rv18Side.m48();
        s += Rv18Side.m49();
        s += Rv18Side.m50();
        s += Rv18Side.m51();
        s += Rv18Side.m52();
        s += Rv18Side.m53();
        s += Rv18Side.m54();
        s += Rv18Side.m55();
        s += Rv18Side.m56();
        s += Rv18Side.m57();
        s += Rv18Side.m58();
        s += Rv18Side.m59();
        s += Rv18Side.m60();
        s += Rv18Side.m61();
        s += Rv18Side.m62();
        s += Rv18Side.m63();
        return s;
    }
}
