package io.livepatch4j.it.review27.base;

/** Review 27: covariant overrides (with their bridges), a field hiding the base's of another type, overloads. */
public abstract class R27Mid extends R27Base<String> {

    protected String n = "mid-n";

    @Override
    protected String value() {
        return "mid-value";
    }

    @Override
    protected String make() {
        return "mid-make";
    }

    protected String over(String s) {
        return "mid-over-str";
    }

    protected static String sx(int i) {
        return "mid-sx" + i;
    }

    protected int baseN() {
        return super.n;
    }
}
