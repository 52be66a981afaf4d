package io.livepatch4j.it.review.app;

import java.util.function.Supplier;

/** review19: a class whose patches change static, instance, private, constructor and lambda code. */
public class Rv19Work {
    private final String made;

    public Rv19Work() {
        made = "c1";
    }

    public static String version() {
        return "v1";
    }

    public String all() {
        return version() + "/" + priv() + "/" + made + "/" + sup().get();
    }

    private String priv() {
        return "p1";
    }

    public Supplier<String> sup() {
        return () -> "s1";
    }
}
