package io.livepatch4j.it.support;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A generated v1/v2 pair of one small class, {@code NAME implements IntConsumer}, as source text.
 * Every method and lambda reports what ran to {@link GenTrace} with its name and, where its code
 * differs between the versions, the version ("m3@v2", "Ls1@v1"); a caught exception adds the message
 * of the method that threw it ("m1@v2<m3@v2"). The entry is {@code accept(int)}.
 *
 * <p>v1 is drawn first; the {@link Change}s are then made to a copy of it to give v2.
 */
public final class GenProgram {

    /** The kinds of change a v2 can make. */
    public enum Change {
        /** a method whose code did not change in v1 gets a new body (a tag, reordered statements) */
        BODIES,
        /** a new lambda in a method */
        LAMBDA_ADDED,
        /** a lambda of v1 is gone */
        LAMBDA_REMOVED,
        /** a new lambda before an existing one in the same method (javac renumbers the old one) */
        LAMBDA_INSERTED_BEFORE,
        /** two lambdas of one method change places (javac swaps their numbers) */
        LAMBDAS_SWAPPED,
        /** a new private instance method, called by changed code */
        PRIVATE_METHOD_ADDED,
        /** a new static method, called by changed code */
        STATIC_METHOD_ADDED,
        /** a new field (instance or static), used by changed code */
        FIELD_ADDED,
        /** calls between changed methods added and removed */
        NESTED_CALLS,
        /** a method starts or stops throwing; calls to it caught */
        EXCEPTIONS,
        /** a method starts or stops calling itself */
        RECURSION
    }

    sealed interface Stmt permits Call, Lam, Recurse, FieldUse {
        Stmt copy();
    }

    record Call(String target, boolean wrap) implements Stmt {
        public Stmt copy() {
            return this;
        }
    }

    record Lam(String site, boolean capture, String target) implements Stmt {
        public Stmt copy() {
            return this;
        }
    }

    record Recurse() implements Stmt {
        public Stmt copy() {
            return this;
        }
    }

    record FieldUse(String field) implements Stmt {
        public Stmt copy() {
            return this;
        }
    }

    static final class Method {
        final String name;
        final boolean isStatic;
        final boolean isPrivate;
        boolean tagged;
        boolean throwsAtEnd;
        List<Stmt> body = new ArrayList<>();

        Method(String name, boolean isStatic, boolean isPrivate) {
            this.name = name;
            this.isStatic = isStatic;
            this.isPrivate = isPrivate;
        }

        Method copy() {
            Method m = new Method(name, isStatic, isPrivate);
            m.tagged = tagged;
            m.throwsAtEnd = throwsAtEnd;
            m.body = new ArrayList<>(body);
            return m;
        }

        List<Lam> lambdas() {
            List<Lam> out = new ArrayList<>();
            for (Stmt s : body) {
                if (s instanceof Lam l) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    static final class Version {
        final List<Method> methods = new ArrayList<>();
        /** field names; a name starting with 's' is static */
        final List<String> fields = new ArrayList<>();

        Version copy() {
            Version v = new Version();
            methods.forEach(m -> v.methods.add(m.copy()));
            v.fields.addAll(fields);
            return v;
        }

        Method method(String name) {
            return methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
        }

        Set<String> sites() {
            Set<String> out = new LinkedHashSet<>();
            methods.forEach(m -> m.lambdas().forEach(l -> out.add(l.site)));
            return out;
        }
    }

    public final String pkg;
    public final String simpleName;
    public final String className;
    public final Set<Change> changes;
    private final Version v1;
    private final Version v2;
    private int nextSite;
    private int nextMethod;
    private int nextField;

    private GenProgram(String className, Set<Change> changes, Version v1, Version v2) {
        this.pkg = className.substring(0, className.lastIndexOf('.'));
        this.simpleName = className.substring(className.lastIndexOf('.') + 1);
        this.className = className;
        this.changes = changes;
        this.v1 = v1;
        this.v2 = v2;
    }

    /** The source of version {@code v} (1 or 2). */
    public String source(int v) {
        return render(v == 1 ? v1 : v2, v);
    }

    /** The lambda sites the code of version {@code v} has. */
    public Set<String> sites(int v) {
        return (v == 1 ? v1 : v2).sites();
    }

    /** The method of version {@code v} (1 or 2) that holds lambda {@code site}, or null. */
    public String enclosing(int v, String site) {
        for (Method m : (v == 1 ? v1 : v2).methods) {
            for (Lam l : m.lambdas()) {
                if (l.site.equals(site)) {
                    return m.name;
                }
            }
        }
        return null;
    }

    /**
     * Draws a pair: v1 with {@code methods} methods besides the entry, laid out from {@code seed}, and
     * v2 = v1 with {@code changes} made.
     */
    public static GenProgram generate(String className, int methods, Set<Change> changes, long seed) {
        Random r = new Random(seed);
        GenProgram p = new GenProgram(className, changes.isEmpty() ? EnumSet.noneOf(Change.class) : EnumSet.copyOf(changes),
            new Version(), null);
        Version v1 = p.v1;
        Method entry = new Method("accept", false, false);
        entry.tagged = true;
        v1.methods.add(entry);
        for (int i = 1; i <= methods; i++) {
            Method m = new Method("m" + i, r.nextInt(3) == 0, r.nextBoolean());
            m.tagged = r.nextInt(3) != 0;
            m.throwsAtEnd = r.nextInt(5) == 0;
            v1.methods.add(m);
        }
        p.nextMethod = methods + 1;
        for (int i = 0; i < v1.methods.size(); i++) {
            Method m = v1.methods.get(i);
            int calls = i == 0 ? 1 + r.nextInt(2) : r.nextInt(3);
            for (int c = 0; c < calls; c++) {
                String t = p.callee(v1, m, i + 1, r);
                if (t != null) {
                    m.body.add(new Call(t, v1.method(t).throwsAtEnd ? r.nextInt(4) != 0 : r.nextInt(4) == 0));
                }
            }
            if (r.nextInt(3) == 0) {
                m.body.add(r.nextInt(m.body.size() + 1), p.lambda(v1, m, i + 1, r));
            }
            if (r.nextInt(6) == 0 && i > 0) {
                m.body.add(r.nextInt(m.body.size() + 1), new Recurse());
            }
        }
        // What the changes need in v1: lambdas to remove, to insert before, to swap.
        Set<Change> cs = p.changes;
        if (cs.contains(Change.LAMBDA_REMOVED) || cs.contains(Change.LAMBDA_INSERTED_BEFORE)) {
            if (v1.sites().isEmpty()) {
                Method m = pick(v1.methods, r);
                m.body.add(r.nextInt(m.body.size() + 1), p.lambda(v1, m, v1.methods.indexOf(m) + 1, r));
            }
        }
        if (cs.contains(Change.LAMBDAS_SWAPPED) && v1.methods.stream().noneMatch(m -> m.lambdas().size() >= 2)) {
            Method m = pick(v1.methods, r);
            int from = v1.methods.indexOf(m) + 1;
            while (m.lambdas().size() < 2) {
                m.body.add(r.nextInt(m.body.size() + 1), p.lambda(v1, m, from, r));
            }
        }

        Version v2 = v1.copy();
        GenProgram pair = new GenProgram(className, p.changes, v1, v2);
        pair.nextSite = p.nextSite;
        pair.nextMethod = p.nextMethod;
        pair.nextField = p.nextField;
        for (Change c : pair.changes) {
            pair.make(c, v2, r);
        }
        return pair;
    }

    private void make(Change c, Version v2, Random r) {
        switch (c) {
            case BODIES -> {
                List<Method> plain = v2.methods.stream().filter(m -> !m.tagged).toList();
                Method m = plain.isEmpty() ? pick(v2.methods, r) : pick(plain, r);
                m.tagged = true;
                if (m.body.size() > 1) {
                    m.body.add(m.body.remove(0));
                }
            }
            case LAMBDA_ADDED -> {
                Method m = pick(v2.methods, r);
                m.body.add(r.nextInt(m.body.size() + 1), lambda(v2, m, v2.methods.indexOf(m) + 1, r));
                m.tagged = true;
            }
            case LAMBDA_REMOVED -> {
                List<Method> with = v2.methods.stream().filter(m -> !m.lambdas().isEmpty()).toList();
                if (!with.isEmpty()) {
                    Method m = pick(with, r);
                    m.body.remove(pick(m.lambdas(), r));
                    m.tagged = true;
                }
            }
            case LAMBDA_INSERTED_BEFORE -> {
                List<Method> with = v2.methods.stream().filter(m -> !m.lambdas().isEmpty()).toList();
                if (!with.isEmpty()) {
                    Method m = pick(with, r);
                    int at = m.body.indexOf(m.lambdas().get(0));
                    m.body.add(at, lambda(v2, m, v2.methods.indexOf(m) + 1, r));
                    m.tagged = true;
                }
            }
            case LAMBDAS_SWAPPED -> {
                List<Method> with = v2.methods.stream().filter(m -> m.lambdas().size() >= 2).toList();
                if (!with.isEmpty()) {
                    Method m = pick(with, r);
                    List<Lam> ls = m.lambdas();
                    int a = m.body.indexOf(ls.get(0));
                    int b = m.body.indexOf(ls.get(1));
                    Stmt t = m.body.get(a);
                    m.body.set(a, m.body.get(b));
                    m.body.set(b, t);
                    m.tagged = true;
                }
            }
            case PRIVATE_METHOD_ADDED, STATIC_METHOD_ADDED -> {
                boolean isStatic = c == Change.STATIC_METHOD_ADDED;
                Method added = new Method("m" + nextMethod++, isStatic, !isStatic || r.nextBoolean());
                added.tagged = true;
                if (r.nextBoolean()) {
                    added.body.add(lambda(v2, added, v2.methods.size(), r));
                }
                v2.methods.add(added);
                List<Method> callers = v2.methods.stream().filter(m -> m != added && (isStatic || !m.isStatic)).toList();
                Method caller = pick(callers, r);
                caller.body.add(r.nextInt(caller.body.size() + 1), new Call(added.name, false));
                caller.tagged = true;
            }
            case FIELD_ADDED -> {
                boolean isStatic = r.nextBoolean();
                String f = (isStatic ? "s" : "f") + nextField++;
                v2.fields.add(f);
                List<Method> users = v2.methods.stream().filter(m -> isStatic || !m.isStatic).toList();
                Method user = pick(users, r);
                user.body.add(r.nextInt(user.body.size() + 1), new FieldUse(f));
                user.tagged = true;
            }
            case NESTED_CALLS -> {
                List<Method> tagged = v2.methods.stream().filter(m -> m.tagged).toList();
                Method m = pick(tagged, r);
                List<Stmt> calls = m.body.stream().filter(s -> s instanceof Call).toList();
                if (!calls.isEmpty() && r.nextBoolean()) {
                    m.body.remove(pick(calls, r));
                }
                String t = callee(v2, m, v2.methods.indexOf(m) + 1, r);
                if (t != null) {
                    m.body.add(r.nextInt(m.body.size() + 1), new Call(t, r.nextBoolean()));
                }
            }
            case EXCEPTIONS -> {
                List<Method> candidates = v2.methods.subList(1, v2.methods.size());
                if (!candidates.isEmpty()) {
                    Method m = pick(candidates, r);
                    m.throwsAtEnd = !m.throwsAtEnd;
                    m.tagged = true;
                    for (Method caller : v2.methods) {
                        for (int i = 0; i < caller.body.size(); i++) {
                            if (caller.body.get(i) instanceof Call call && call.target.equals(m.name) && r.nextBoolean()) {
                                caller.body.set(i, new Call(call.target, !call.wrap));
                                caller.tagged = true;
                            }
                        }
                    }
                }
            }
            case RECURSION -> {
                List<Method> candidates = v2.methods.subList(1, v2.methods.size());
                if (!candidates.isEmpty()) {
                    Method m = pick(candidates, r);
                    if (!m.body.removeIf(s -> s instanceof Recurse)) {
                        m.body.add(r.nextInt(m.body.size() + 1), new Recurse());
                    }
                    m.tagged = true;
                }
            }
        }
    }

    /** A method after index {@code from} that {@code caller} may call (static callers call static methods only). */
    private String callee(Version v, Method caller, int from, Random r) {
        List<Method> ok = new ArrayList<>();
        for (int j = from; j < v.methods.size(); j++) {
            Method t = v.methods.get(j);
            if (!caller.isStatic || t.isStatic) {
                ok.add(t);
            }
        }
        return ok.isEmpty() ? null : pick(ok, r).name;
    }

    private Lam lambda(Version v, Method in, int from, Random r) {
        String target = r.nextBoolean() ? callee(v, in, from, r) : null;
        return new Lam("s" + nextSite++, r.nextBoolean(), target);
    }

    private static <T> T pick(List<T> from, Random r) {
        return from.get(r.nextInt(from.size()));
    }

    private String render(Version v, int version) {
        StringBuilder s = new StringBuilder();
        s.append("package ").append(pkg).append(";\n\n")
            .append("import io.livepatch4j.it.support.GenTrace;\n\n")
            .append("public class ").append(simpleName).append(" implements java.util.function.IntConsumer {\n");
        for (String f : v.fields) {
            s.append("    private ").append(f.startsWith("s") ? "static " : "").append("int ").append(f).append(";\n");
        }
        for (Method m : v.methods) {
            String tag = m.tagged ? "@v" + version : "";
            String me = m.name + tag;
            s.append("\n    ");
            if (m.name.equals("accept")) {
                s.append("@Override\n    public ");
            } else if (m.isPrivate) {
                s.append("private ");
            }
            s.append(m.isStatic ? "static " : "").append("void ").append(m.name).append("(int d) {\n");
            s.append("        GenTrace.hit(\"").append(me).append("\");\n");
            for (Stmt st : m.body) {
                if (st instanceof Call c) {
                    String call = "if (d < 4) " + c.target + "(d + 1);";
                    if (c.wrap) {
                        s.append("        try { ").append(call).append(" } catch (IllegalStateException e) { GenTrace.hit(\"")
                            .append(me).append("<\" + e.getMessage()); }\n");
                    } else {
                        s.append("        ").append(call).append("\n");
                    }
                } else if (st instanceof Recurse) {
                    s.append("        if (d < 3) ").append(m.name).append("(d + 1);\n");
                } else if (st instanceof FieldUse f) {
                    s.append("        ").append(f.field).append(" += d + 1;\n");
                } else if (st instanceof Lam l) {
                    String lt = "L" + l.site + tag;
                    String var = "l" + l.site;
                    s.append("        Runnable ").append(var).append(" = () -> {\n");
                    s.append("            GenTrace.hit(\"").append(lt).append("\"").append(l.capture ? " + \":\" + d" : "")
                        .append(");\n");
                    if (l.target != null) {
                        s.append("            try { ").append(l.target).append("(3); } catch (IllegalStateException e) { ")
                            .append("GenTrace.hit(\"").append(lt).append("<\" + e.getMessage()); }\n");
                    }
                    s.append("        };\n");
                    s.append("        GenTrace.keep(\"").append(className).append("\", \"").append(l.site).append("\", ").append(var)
                        .append(");\n");
                    s.append("        ").append(var).append(".run();\n");
                }
            }
            if (m.throwsAtEnd) {
                s.append("        if (d >= 0) throw new IllegalStateException(\"").append(me).append("\");\n");
            }
            s.append("    }\n");
        }
        s.append("}\n");
        return s.toString();
    }

    @Override
    public String toString() {
        return "changes " + changes + "\n--- v1 ---\n" + source(1) + "--- v2 ---\n" + source(2);
    }
}
