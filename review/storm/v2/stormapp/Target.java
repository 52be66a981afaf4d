package stormapp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Target for the lp4j storm: four threads run units of work (Target#unit is configured as one) that
 * call Rv2.v() twice; every second it prints units, mixed units, and what a unit sees now.
 */
public class Target {
    static final AtomicLong UNITS = new AtomicLong();
    static final AtomicLong MIXED = new AtomicLong();

    public static String unit() {
        String a = Rv2.v();
        Thread.onSpinWait();
        String b = Rv2.v();
        UNITS.incrementAndGet();
        if (!a.equals(b)) {
            MIXED.incrementAndGet();
        }
        return b;
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                while (true) {
                    unit();
                    Thread.yield();
                }
            }, "storm-worker-" + i);
            t.setDaemon(true);
            t.start();
        }
        int seconds = Integer.parseInt(args.length > 0 ? args[0] : "60");
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);
            System.out.println("units=" + UNITS.get() + " mixed=" + MIXED.get() + " now=" + unit());
        }
    }
}
