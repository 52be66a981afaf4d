package io.livepatch4j.it.support;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Generated cases of the fidelity corpus (FidelityGeneratedIT): jqwik draws 1 to 4 change kinds
 * ({@link Kind}), each put into one of two host classes; every kind is a template that adds its
 * members to the host's v1 and v2 and its lines to the Probe's setup() and observe(). Names carry
 * the template's index in the pair ({@code _t0} ... {@code _t3}), so templates compose in one class:
 * their lambdas, anonymous classes and switch maps share the host's numbering, which is the point.
 *
 * <p>A case is written as a hand-written one (case.properties, v1/, v2/, both/) under package
 * {@code fidgen.g<N>}, so the same harness runs both corpora.
 */
public final class FidelityGen {

    public static final String ROOT = "fidgen";

    /** A change kind; {@code match} is a substring of the NotCarried message a reported kind gets (null: carried). */
    public enum Kind {
        METHOD_BODY(null),
        INSTANCE_BODY(null),
        PRIVATE_ADDED(null),
        STATIC_ADDED("not visible to reflection"),
        FIELD_ADDED("not visible to reflection"),
        LAMBDA_INSERTED(null),
        LAMBDAS_SWAPPED(null),
        LAMBDA_BODY(null),
        ANON_INSERTED("getClass().getName()"),
        ANON_CAPTURE("captures other variables"),
        ENUM_SWITCH_CASE(null),
        ASSERT_ADDED(null),
        ARRAY_CLONE(null),
        ENUM_METHOD(null),
        RECORD_ACCESSOR(null),
        STRING_SWITCH(null),
        TRY_CATCH(null),
        METHOD_REF(null),
        VARARGS_CALL(null),
        INNER_CLASS(null),
        LAMBDA_REMOVED(null),
        ANON_BODY(null),
        LAMBDA_IN_ANON(null),
        THIS_LAMBDA_INSERTED(null),
        DEFAULT_METHOD(null),
        SUPER_CALL(null),
        BRIDGE_METHOD(null),
        STRING_CONCAT(null),
        CTOR_BODY("the constructor changed"),
        ANNOTATION_ADDED("annotation"),
        THROWS_ADDED("throws"),
        VARARGS_FLAG("varargs"),
        PROTECTED_BASE(null);

        final String match;

        Kind(String match) {
            this.match = match;
        }

        public boolean reported() {
            return match != null;
        }
    }

    /** One template in a pair: its kind, the host class (H0 or H1) it goes into, a variant (1..9). */
    public record Use(Kind kind, int host, int variant) {
    }

    /** One generated v1/v2 pair: case {@code g<n>} ({@code g007}: the corpus lists cases by name). */
    public record Pair(int n, List<Use> uses) {

        public String name() {
            return String.format("g%03d", n);
        }

        public String expect() {
            return uses.stream().anyMatch(u -> u.kind().reported()) ? "reported" : "carried";
        }

        public String match() {
            return uses.stream().filter(u -> u.kind().reported()).map(u -> u.kind().match).findFirst().orElse("");
        }

        public String title() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < uses.size(); i++) {
                Use u = uses.get(i);
                parts.add("t" + i + "=" + u.kind() + "@H" + u.host() + "/" + u.variant());
            }
            return String.join(" ", parts);
        }
    }

    private FidelityGen() {}

    /** The arbitrary of one pair's templates: 1 to 4 of {@code kinds}, each with a host and a variant. */
    public static Arbitrary<List<Use>> uses(List<Kind> kinds) {
        Arbitrary<Use> use = Combinators.combine(Arbitraries.of(kinds), Arbitraries.integers().between(0, 1),
            Arbitraries.integers().between(1, 9)).as(Use::new);
        return use.list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * {@code count} pairs drawn from {@link #uses} with a Random seeded by {@code seed}: the same pairs every
     * run. {@code only} (comma-separated kind names, may be blank: all) draws from some kinds only.
     */
    public static List<Pair> generate(int count, long seed, String only) {
        List<Kind> kinds = only == null || only.isBlank() ? List.of(Kind.values())
            : java.util.Arrays.stream(only.trim().split("\\s*,\\s*")).map(Kind::valueOf).toList();
        RandomGenerator<List<Use>> generator = uses(kinds).generator(1000);
        Random random = new Random(seed);
        List<Pair> pairs = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            pairs.add(new Pair(n, generator.next(random).value()));
        }
        return pairs;
    }

    /** Writes {@code p} as a corpus case under {@code root} ({@code root/g<N>/...}); returns the case folder. */
    public static Path write(Pair p, Path root) throws IOException {
        Sources s = new Sources(ROOT + "." + p.name());
        for (int i = 0; i < p.uses().size(); i++) {
            Use u = p.uses().get(i);
            template(u.kind(), new Slot(s, "t" + i, "H" + u.host(), u.variant()));
        }
        Path dir = root.resolve(p.name());
        String folder = ROOT + "/" + p.name() + "/";
        for (Map.Entry<String, StringBuilder[]> h : s.hosts.entrySet()) {
            writeFile(dir.resolve("v1/" + folder + h.getKey() + ".java"), s.host(h.getKey(), h.getValue()[0]));
            writeFile(dir.resolve("v2/" + folder + h.getKey() + ".java"), s.host(h.getKey(), h.getValue()[1]));
        }
        writeFile(dir.resolve("both/" + folder + "Probe.java"), s.probe());
        for (Map.Entry<String, String> f : s.shared.entrySet()) {
            writeFile(dir.resolve("both/" + folder + f.getKey()), f.getValue());
        }
        writeFile(dir.resolve("case.properties"), "title=" + p.title() + "\nexpect=" + p.expect() + "\nmatch="
            + p.match() + "\nissue=11\n");
        return dir;
    }

    private static void writeFile(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The sources of one pair as they grow: members per host and version, the Probe's parts. */
    private static final class Sources {
        final String pkg;
        final Map<String, StringBuilder[]> hosts = new TreeMap<>();
        final StringBuilder fields = new StringBuilder();
        final StringBuilder setup = new StringBuilder();
        final StringBuilder observe = new StringBuilder();
        /** Classes the same in both versions, by path below the case's package folder. */
        final Map<String, String> shared = new TreeMap<>();

        Sources(String pkg) {
            this.pkg = pkg;
        }

        StringBuilder[] members(String host) {
            return hosts.computeIfAbsent(host, h -> new StringBuilder[] {new StringBuilder(), new StringBuilder()});
        }

        String host(String name, StringBuilder members) {
            return "package " + pkg + ";\n\nimport java.util.*;\nimport java.util.function.*;\n\npublic class " + name
                + " {\n" + members + "}\n";
        }

        String probe() {
            return "package " + pkg + ";\n\nimport java.util.*;\nimport java.util.function.*;\n\n"
                + "/** The fidelity probe of this generated case: setup() before the patch, observe() after it. */\n"
                + "public class Probe {\n" + fields
                + "    public static void setup() {\n" + setup + "    }\n"
                + "    public static String observe() {\n        StringBuilder s = new StringBuilder();\n" + observe
                + "        return s.toString();\n    }\n\n"
                + "    interface Line { Object get() throws Throwable; }\n\n"
                + "    /** One line \"label: value\"; a throw prints the exception's class, never a message with identities. */\n"
                + "    static void line(StringBuilder s, String label, Line l) {\n"
                + "        String v;\n        try {\n            v = String.valueOf(l.get());\n"
                + "        } catch (Throwable e) {\n            v = \"threw \" + e.getClass().getName();\n        }\n"
                + "        s.append(label).append(\": \").append(v).append('\\n');\n    }\n}\n";
        }
    }

    /**
     * Where one template writes: {@code t} is its unique suffix, {@code h} its host class, {@code v} its variant.
     * In the template texts, {@code $t}, {@code $H} and {@code $v} stand for them.
     */
    private record Slot(Sources s, String t, String h, int v) {

        String fill(String text) {
            return text.replace("$t", t).replace("$H", h).replace("$v", String.valueOf(v));
        }

        /** Members of the host in v1 and in v2. */
        void host(String v1, String v2) {
            StringBuilder[] m = s.members(h);
            m[0].append(indent(fill(v1)));
            m[1].append(indent(fill(v2)));
        }

        /** The same members in both versions. */
        void both(String text) {
            host(text, text);
        }

        /** A class the same in both versions, in the sub-package {@code sub} of the case's package. */
        void shared(String sub, String simpleName, String body) {
            s.shared.put(sub + "/" + fill(simpleName) + ".java", "package " + s.pkg + "." + sub + ";\n\n" + fill(body) + "\n");
        }

        String pkg() {
            return s.pkg;
        }

        void field(String text) {
            s.fields.append("    ").append(fill(text)).append('\n');
        }

        void setup(String text) {
            s.setup.append("        ").append(fill(text)).append('\n');
        }

        /** One observed line: {@code label} (prefixed by the template's suffix) and the expression. */
        void line(String label, String expression) {
            s.observe.append("        line(s, \"").append(t).append(' ').append(fill(label).replace("\"", "'"))
                .append("\", () -> ").append(fill(expression)).append(");\n");
        }

        private static String indent(String text) {
            StringBuilder b = new StringBuilder();
            text.lines().forEach(l -> b.append("    ").append(l).append('\n'));
            return b.toString();
        }
    }

    /** The template of each kind: what it adds to v1 and v2 of its host, to setup() and to observe(). */
    private static void template(Kind kind, Slot x) {
        boolean odd = x.v() % 2 == 1;
        switch (kind) {
            case METHOD_BODY -> {
                x.host("public static String body_$t(int x) { return \"$t:\" + (x + $v); }",
                    "public static String body_$t(int x) { return \"$t:\" + (x * 3 + $v); }");
                x.setup("$H.body_$t(1);");
                x.line("body(3)", "$H.body_$t(3)");
            }
            case INSTANCE_BODY -> {
                x.both("private int base_$t = $v;");
                x.host("public String ibody_$t() { return \"$t:\" + base_$t; }",
                    "public String ibody_$t() { return \"$t:\" + (base_$t + 10); }");
                x.field("static $H obj_$t;");
                x.setup("obj_$t = new $H(); obj_$t.ibody_$t();");
                x.line("kept ibody", "obj_$t.ibody_$t()");
                x.line("new ibody", "new $H().ibody_$t()");
            }
            case PRIVATE_ADDED -> {
                if (odd) {
                    x.host("public static String priv_$t() { return \"$t:p1\"; }",
                        "public static String priv_$t() { return helper_$t($v); }\n"
                            + "private static String helper_$t(int n) { return \"$t:p2-\" + n; }");
                    x.setup("$H.priv_$t();");
                    x.line("priv", "$H.priv_$t()");
                } else {
                    x.host("public String ipriv_$t() { return \"$t:p1\"; }",
                        "public String ipriv_$t() { return ihelper_$t($v); }\n"
                            + "private String ihelper_$t(int n) { return \"$t:p2-\" + n + this.getClass().getSimpleName(); }");
                    x.field("static $H obj_$t;");
                    x.setup("obj_$t = new $H(); obj_$t.ipriv_$t();");
                    x.line("kept ipriv", "obj_$t.ipriv_$t()");
                }
            }
            case STATIC_ADDED -> {
                x.host("public static String stat_$t() { return \"$t:s1\"; }",
                    "public static String stat_$t() { return shelper_$t($v); }\n"
                        + "static String shelper_$t(int n) { return \"$t:s2-\" + n; }");
                x.setup("$H.stat_$t();");
                x.line("stat", "$H.stat_$t()");
            }
            case FIELD_ADDED -> {
                x.host("public String hit_$t() { return \"$t\"; }",
                    "private int hits_$t;\npublic String hit_$t() { hits_$t += $v; return \"$t#\" + hits_$t; }");
                x.field("static $H obj_$t;");
                x.setup("obj_$t = new $H();");
                x.line("kept hit 1", "obj_$t.hit_$t()");
                x.line("kept hit 2", "obj_$t.hit_$t()");
                x.line("new hit", "new $H().hit_$t()");
            }
            case LAMBDA_INSERTED -> {
                x.both("static String last_$t = \"none\";");
                String v2 = odd
                    ? "public static Supplier<String> lam_$t(String n) {\n"
                        + "    Supplier<String> pre = () -> \"$t:pre-\" + n;\n    last_$t = pre.get();\n"
                        + "    return () -> \"$t:kept-\" + n;\n}"
                    : "public static Supplier<String> lam_$t(String n) {\n"
                        + "    Supplier<String> r = () -> \"$t:kept-\" + n;\n"
                        + "    Supplier<String> post = () -> \"$t:post-\" + n;\n    last_$t = post.get();\n    return r;\n}";
                x.host("public static Supplier<String> lam_$t(String n) { return () -> \"$t:kept-\" + n; }", v2);
                x.field("static Supplier<String> lam_$t;");
                x.setup("lam_$t = $H.lam_$t(\"k\");");
                x.line("kept", "lam_$t.get()");
                x.line("new", "$H.lam_$t(\"n\").get()");
                x.line("last", "$H.last_$t");
            }
            case LAMBDAS_SWAPPED -> {
                x.host("public static IntUnaryOperator pick_$t(boolean inc) { return inc ? x -> x + $v : x -> x * 2; }",
                    "public static IntUnaryOperator pick_$t(boolean inc) { return inc ? x -> x * 2 : x -> x + $v; }");
                x.field("static IntUnaryOperator inc_$t, other_$t;");
                x.setup("inc_$t = $H.pick_$t(true); other_$t = $H.pick_$t(false);");
                x.line("kept pick(true)(5)", "inc_$t.applyAsInt(5)");
                x.line("kept pick(false)(5)", "other_$t.applyAsInt(5)");
                x.line("new pick(true)(5)", "$H.pick_$t(true).applyAsInt(5)");
                x.line("new pick(false)(5)", "$H.pick_$t(false).applyAsInt(5)");
            }
            case LAMBDA_BODY -> {
                x.host("public static IntUnaryOperator scale_$t() { return x -> x * 2 + $v; }",
                    "public static IntUnaryOperator scale_$t() { return x -> x * 3 + $v; }");
                x.field("static IntUnaryOperator scale_$t;");
                x.setup("scale_$t = $H.scale_$t();");
                x.line("kept(5)", "scale_$t.applyAsInt(5)");
                x.line("new(5)", "$H.scale_$t().applyAsInt(5)");
            }
            case ANON_INSERTED -> {
                x.both("static String alast_$t = \"none\";");
                x.host("public static Supplier<String> anon_$t(String n) {\n"
                        + "    return new Supplier<String>() { public String get() { return \"$t:existing \" + n; } };\n}",
                    "public static Supplier<String> anon_$t(String n) {\n"
                        + "    Runnable note = new Runnable() { public void run() { alast_$t = \"$t:noted \" + n; } };\n"
                        + "    note.run();\n"
                        + "    return new Supplier<String>() { public String get() { return \"$t:existing \" + n; } };\n}");
                x.field("static Supplier<String> anon_$t;");
                x.setup("anon_$t = $H.anon_$t(\"kept\");");
                x.line("kept", "anon_$t.get()");
                x.line("kept is a Supplier", "(Object) anon_$t instanceof Supplier");
                x.line("new", "$H.anon_$t(\"new\").get()");
                x.line("last", "$H.alast_$t");
            }
            case ANON_CAPTURE -> {
                x.host("public static Supplier<String> cap_$t(String a, int b) {\n"
                        + "    return new Supplier<String>() { public String get() { return \"$t:a=\" + a; } };\n}",
                    "public static Supplier<String> cap_$t(String a, int b) {\n"
                        + "    return new Supplier<String>() { public String get() { return \"$t:a=\" + a + \" b=\" + b; } };\n}");
                x.setup("$H.cap_$t(\"w\", 0).get();");
                x.line("new", "$H.cap_$t(\"x\", $v).get()");
            }
            case ENUM_SWITCH_CASE -> {
                x.both("public enum K_$t { A, B, C }");
                x.host("public static String route_$t(K_$t k) {\n"
                        + "    switch (k) { case A: return \"$t:a\"; case B: return \"$t:b\"; default: return \"$t:other\"; }\n}",
                    "public static String route_$t(K_$t k) {\n"
                        + "    switch (k) { case A: return \"$t:a\"; case B: return \"$t:b\"; case C: return \"$t:c$v\"; "
                        + "default: return \"$t:other\"; }\n}");
                x.setup("$H.route_$t($H.K_$t.A);");
                x.line("route", "Arrays.stream($H.K_$t.values()).map($H::route_$t).toList()");
            }
            case ASSERT_ADDED -> {
                x.host("public static int half_$t(int x) { return x / 2; }",
                    "public static int half_$t(int x) { assert x % 2 == 0 : \"odd\"; return x >> 1; }");
                x.setup("$H.half_$t(2);");
                x.line("half(8)", "$H.half_$t(8)");
                x.line("half(-7)", "$H.half_$t(-7)");
            }
            case ARRAY_CLONE -> {
                x.both("private final int[] data_$t = {1, 2, $v};\npublic int[] copy_$t() { return data_$t.clone(); }");
                x.host("public int[] tweak_$t() { int[] c = data_$t.clone(); c[0] = 9; return c; }",
                    "public int[] tweak_$t() { int[] c = data_$t.clone(); c[0] = 8; return c.clone(); }");
                x.field("static $H obj_$t;");
                x.setup("obj_$t = new $H(); obj_$t.copy_$t();");
                x.line("copy", "Arrays.toString(obj_$t.copy_$t())");
                x.line("tweak", "Arrays.toString(obj_$t.tweak_$t())");
                x.line("copy is a copy", "obj_$t.copy_$t() != obj_$t.copy_$t()");
            }
            case ENUM_METHOD -> {
                x.host("public enum M_$t { X, Y; public String label() { return name().toLowerCase() + \"1\"; } }\n"
                        + "public static String msw_$t(M_$t m) { switch (m) { case X: return \"x\"; default: return \"y\"; } }",
                    "public enum M_$t { X, Y; public String label() { return name().toLowerCase() + \"2-$v\"; } }\n"
                        + "public static String msw_$t(M_$t m) { switch (m) { case X: return \"x\"; default: return \"y\"; } }");
                x.setup("$H.M_$t.X.label();");
                x.line("values", "Arrays.toString($H.M_$t.values())");
                x.line("valueOf(Y).label", "$H.M_$t.valueOf(\"Y\").label()");
                x.line("labels", "Arrays.stream($H.M_$t.values()).map($H.M_$t::label).toList()");
                x.line("switch", "Arrays.stream($H.M_$t.values()).map($H::msw_$t).toList()");
            }
            case RECORD_ACCESSOR -> {
                x.host("public record R_$t(int a, String b) { public int a() { return a + 1; } }",
                    "public record R_$t(int a, String b) { public int a() { return a + 2; } }");
                x.field("static $H.R_$t rec_$t;");
                x.setup("rec_$t = new $H.R_$t($v, \"k\"); rec_$t.a();");
                x.line("kept a()", "rec_$t.a()");
                x.line("kept toString", "rec_$t");
                x.line("kept equals new", "rec_$t.equals(new $H.R_$t($v, \"k\"))");
                x.line("new a()", "new $H.R_$t(1, \"n\").a()");
            }
            case STRING_SWITCH -> {
                x.host("public static String sw_$t(String s) {\n"
                        + "    switch (s) { case \"a\": return \"$t:1\"; case \"b\": return \"$t:2\"; default: return \"$t:0\"; }\n}",
                    "public static String sw_$t(String s) {\n"
                        + "    switch (s) { case \"a\": return \"$t:1\"; case \"b\": return \"$t:$v\"; case \"c\": return \"$t:3\"; "
                        + "default: return \"$t:0\"; }\n}");
                x.setup("$H.sw_$t(\"a\");");
                x.line("sw", "List.of(\"a\", \"b\", \"c\", \"d\").stream().map($H::sw_$t).toList()");
            }
            case TRY_CATCH -> {
                x.host("public static String parse_$t(String s) {\n"
                        + "    try { return \"$t:\" + Integer.parseInt(s); } catch (NumberFormatException e) { return \"$t:nfe\"; }\n}",
                    "public static String parse_$t(String s) {\n"
                        + "    try { return \"$t:\" + Integer.parseInt(s.trim()) * $v; }\n"
                        + "    catch (IllegalArgumentException e) { return \"$t:iae\"; }\n"
                        + "    catch (NullPointerException e) { return \"$t:npe\"; }\n}");
                x.setup("$H.parse_$t(\"1\");");
                x.line("parse", "Arrays.asList(\"12\", \" 7\", null, \"x\").stream().map($H::parse_$t).toList()");
            }
            case METHOD_REF -> {
                x.both("static String up_$t(String s) { return s.toUpperCase() + \"$v\"; }\n"
                    + "static String down_$t(String s) { return s.toLowerCase() + \"$v\"; }");
                if (odd) {
                    x.host("public static Function<String, String> conv_$t() { return String::toUpperCase; }",
                        "public static Function<String, String> conv_$t() { return String::toLowerCase; }");
                } else {
                    x.host("public static Function<String, String> conv_$t() { return $H::up_$t; }",
                        "public static Function<String, String> conv_$t() { return $H::down_$t; }");
                }
                x.setup("$H.conv_$t();");
                x.line("conv", "$H.conv_$t().apply(\"MiXed\")");
            }
            case VARARGS_CALL -> {
                x.both("public static String join_$t(String... xs) { return String.join(\"+\", xs) + \"/\" + xs.length; }");
                x.host("public static String vcall_$t() { return join_$t(\"a\", \"b\"); }",
                    odd ? "public static String vcall_$t() { return join_$t(); }"
                        : "public static String vcall_$t() { return join_$t(\"a\", \"b\", \"$v\"); }");
                x.setup("$H.vcall_$t();");
                x.line("vcall", "$H.vcall_$t()");
            }
            case INNER_CLASS -> {
                x.both("private int outer_$t = $v;");
                if (odd) {
                    x.host("public class In_$t { final String tag; public In_$t(String tag) { this.tag = tag; }\n"
                            + "    public String v() { return \"$t:in1-\" + tag; } }",
                        "public class In_$t { final String tag; public In_$t(String tag) { this.tag = tag; }\n"
                            + "    public String v() { return \"$t:in2-\" + tag + \"-\" + outer_$t; } }");
                    x.field("static $H.In_$t in_$t;");
                    x.setup("in_$t = new $H().new In_$t(\"k\"); in_$t.v();");
                    x.line("kept inner", "in_$t.v()");
                    x.line("new inner", "new $H().new In_$t(\"n\").v()");
                } else {
                    x.host("public static class Sn_$t { public String v($H o) { return \"$t:sn1\"; } }",
                        "public static class Sn_$t { public String v($H o) { return \"$t:sn2-\" + o.outer_$t; } }");
                    x.field("static $H.Sn_$t sn_$t;");
                    x.setup("sn_$t = new $H.Sn_$t(); sn_$t.v(new $H());");
                    x.line("kept nested", "sn_$t.v(new $H())");
                }
            }
            case LAMBDA_REMOVED -> {
                x.host("public static Supplier<String> pre_$t() { return () -> \"$t:pre-body\"; }\n"
                        + "public static Supplier<String> keep_$t() { return () -> \"$t:kept-body$v\"; }",
                    "public static Supplier<String> pre_$t() { return $H::constant_$t; }\n"
                        + "public static Supplier<String> keep_$t() { return () -> \"$t:kept-body$v\"; }\n"
                        + "private static String constant_$t() { return \"$t:pre-ref\"; }");
                x.field("static Supplier<String> keep_$t;");
                x.setup("keep_$t = $H.keep_$t();");
                x.line("kept", "keep_$t.get()");
                x.line("use", "$H.pre_$t().get() + '+' + $H.keep_$t().get()");
            }
            case ANON_BODY -> {
                x.host("public static IntSupplier count_$t(int n) {\n"
                        + "    return new IntSupplier() { int c = n; public int getAsInt() { return c += 1; } };\n}",
                    "public static IntSupplier count_$t(int n) {\n"
                        + "    return new IntSupplier() { int c = n; public int getAsInt() { return c += $v + 1; } };\n}");
                x.field("static IntSupplier count_$t;");
                // setup() only makes the object: a call would leave v1's state in it, which no patch changes.
                x.setup("count_$t = $H.count_$t(100);");
                x.line("kept", "count_$t.getAsInt()");
                x.line("new", "$H.count_$t(0).getAsInt()");
            }
            case LAMBDA_IN_ANON -> {
                x.host("public static Supplier<IntUnaryOperator> ops_$t() {\n"
                        + "    return new Supplier<IntUnaryOperator>() { public IntUnaryOperator get() { return x -> x + 1; } };\n}",
                    "public static Supplier<IntUnaryOperator> ops_$t() {\n"
                        + "    return new Supplier<IntUnaryOperator>() { public IntUnaryOperator get() { return x -> x * $v; } };\n}");
                x.field("static Supplier<IntUnaryOperator> ops_$t;");
                x.field("static IntUnaryOperator op_$t;");
                x.setup("ops_$t = $H.ops_$t(); op_$t = ops_$t.get();");
                x.line("kept op(7)", "op_$t.applyAsInt(7)");
                x.line("kept supplier op(7)", "ops_$t.get().applyAsInt(7)");
                x.line("new op(7)", "$H.ops_$t().get().applyAsInt(7)");
            }
            case THIS_LAMBDA_INSERTED -> {
                x.both("private String name_$t = \"$t:obj\";\nString tlast_$t = \"none\";");
                x.host("public Supplier<String> tl_$t() { return () -> name_$t + \"-kept\"; }",
                    "public Supplier<String> tl_$t() {\n"
                        + "    Supplier<String> pre = () -> name_$t + \"-pre$v\";\n    tlast_$t = pre.get();\n"
                        + "    return () -> name_$t + \"-kept\";\n}");
                x.field("static $H obj_$t;");
                x.field("static Supplier<String> tl_$t;");
                x.setup("obj_$t = new $H(); tl_$t = obj_$t.tl_$t();");
                x.line("kept", "tl_$t.get()");
                x.line("new", "obj_$t.tl_$t().get()");
                x.line("last", "obj_$t.tlast_$t");
            }
            case DEFAULT_METHOD -> {
                x.host("public interface If_$t { default String d() { return \"$t:d1\"; } }\n"
                        + "public static class Impl_$t implements If_$t { }",
                    "public interface If_$t { default String d() { return \"$t:d2-\" + getClass().getSimpleName() + $v; } }\n"
                        + "public static class Impl_$t implements If_$t { }");
                x.field("static $H.If_$t if_$t;");
                x.setup("if_$t = new $H.Impl_$t(); if_$t.d();");
                x.line("kept d()", "if_$t.d()");
                x.line("new d()", "new $H.Impl_$t().d()");
            }
            case SUPER_CALL -> {
                x.both("public static class Base_$t { public String describe() { return \"$t:base\"; } }");
                x.host("public static class Sub_$t extends Base_$t { @Override public String describe() { return \"$t:sub\"; } }",
                    "public static class Sub_$t extends Base_$t {\n"
                        + "    @Override public String describe() { return \"$t:sub$v of \" + super.describe(); } }");
                x.field("static $H.Base_$t sub_$t;");
                x.setup("sub_$t = new $H.Sub_$t(); sub_$t.describe();");
                x.line("kept", "sub_$t.describe()");
                x.line("new", "new $H.Sub_$t().describe()");
            }
            case BRIDGE_METHOD -> {
                x.host("public static class Len_$t implements Comparator<String> {\n"
                        + "    public int compare(String a, String b) { return a.length() - b.length(); } }",
                    "public static class Len_$t implements Comparator<String> {\n"
                        + "    public int compare(String a, String b) { return b.length() - a.length(); } }");
                x.field("static Comparator<String> len_$t;");
                x.setup("len_$t = new $H.Len_$t(); len_$t.compare(\"a\", \"b\");");
                x.line("kept sort", "List.of(\"ccc\", \"a\", \"bb\").stream().sorted(len_$t).toList()");
                x.line("raw compare", "((Comparator) new $H.Len_$t()).compare(\"a\", \"bbb\")");
            }
            case STRING_CONCAT -> {
                x.host("public static String cat_$t(String a, int b, char c) { return a + \"/\" + b + c; }",
                    "public static String cat_$t(String a, int b, char c) { return \"[\" + c + b + \":\" + a + \"]$v\"; }");
                x.setup("$H.cat_$t(\"s\", 1, 'c');");
                x.line("cat", "$H.cat_$t(\"x\", 42, 'z')");
            }
            case CTOR_BODY -> {
                x.host("public static class Acc_$t { private final String id; private int bal;\n"
                        + "    public Acc_$t(String id) { super(); this.id = id; this.bal = 10; }\n"
                        + "    public String show() { return id + \"=\" + bal; } }",
                    "public static class Acc_$t { private final String id; private int bal;\n"
                        + "    public Acc_$t(String id) { super(); this.id = id.toUpperCase(); this.bal = 100 + $v; }\n"
                        + "    public String show() { return id + \"=\" + bal; } }");
                x.setup("new $H.Acc_$t(\"s\").show();");
                x.line("new", "new $H.Acc_$t(\"ab\").show()");
            }
            case ANNOTATION_ADDED -> {
                x.host("public static String tok_$t() { return \"$t:t1\"; }",
                    "@Deprecated public static String tok_$t() { return \"$t:t2-$v\"; }");
                x.setup("$H.tok_$t();");
                x.line("tok", "$H.tok_$t()");
            }
            case THROWS_ADDED -> {
                x.host("public static String rd_$t(String s) throws java.io.IOException { return s; }",
                    "public static String rd_$t(String s) throws java.io.IOException, java.util.concurrent.TimeoutException "
                        + "{ return s + s + $v; }");
                x.setup("try { $H.rd_$t(\"s\"); } catch (Exception e) { }");
                x.line("rd", "$H.rd_$t(\"ab\")");
            }
            case VARARGS_FLAG -> {
                x.host("public static String vf_$t(String[] xs) { return String.join(\",\", xs); }",
                    "public static String vf_$t(String... xs) { return xs.length + \":\" + String.join(\";\", xs) + $v; }");
                x.setup("$H.vf_$t(new String[] {\"s\"});");
                x.line("vf", "$H.vf_$t(new String[] {\"a\", \"b\"})");
            }
            case PROTECTED_BASE -> {
                x.shared("base", "Pb_$t", "public class Pb_$t {\n"
                    + "    protected int count_$t = $v;\n"
                    + "    protected String greet_$t() { return \"$t:hello\"; }\n"
                    + "    protected static String sgreet_$t() { return \"$t:static\"; }\n}");
                String base = x.pkg() + ".base.Pb_$t";
                x.host("public static class Ps_$t extends " + base + " { public String use() { return \"$t:v1\"; } }",
                    "public static class Ps_$t extends " + base + " {\n"
                        + "    public String use() { count_$t++; return greet_$t() + \"/\" + count_$t + \"/\" + sgreet_$t(); } }");
                x.field("static $H.Ps_$t ps_$t;");
                x.setup("ps_$t = new $H.Ps_$t();"); // not use(): v1 and v2 differ in what it does to the object
                x.line("kept use", "ps_$t.use()");
                x.line("new use", "new $H.Ps_$t().use()");
            }
        }
    }
}
