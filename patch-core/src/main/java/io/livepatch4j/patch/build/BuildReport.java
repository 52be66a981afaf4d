package io.livepatch4j.patch.build;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.diff.Refusal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a patch build found (lp4j build and the Maven plugin print the same), for a person (text that fits an 80-column terminal: members as declared in
 * Java, with lines, the semantics each change gets, refusals grouped by reason with what to do) and
 * for a script ({@code --json}, schema in docs/cli.md).
 */
public final class BuildReport {

    public static final int WIDTH = 80;
    /** Entries shown per group without --verbose. */
    static final int SHOWN = 12;

    private final PatchBuilder.Report r;
    private final String oldName;
    private final String newName;
    private final Builds.Build before;
    private final Builds.Build after;
    private final boolean verbose;

    public BuildReport(PatchBuilder.Report r, String oldName, String newName, Builds.Build before, Builds.Build after,
                boolean verbose) {
        this.r = r;
        this.oldName = oldName;
        this.newName = newName;
        this.before = before;
        this.after = after;
        this.verbose = verbose;
    }

    // ---- text ---------------------------------------------------------------------------------

    public void printText(PrintWriter out) {
        wrap(out, "OLD " + oldName + ": " + r.oldClasses() + " classes" + libraries(before) + "; NEW " + newName + ": "
            + r.newClasses() + " classes" + libraries(after) + "; " + r.commonClasses() + " in both, "
            + r.unchangedClasses() + " unchanged", "", "  ");
        List<Builds.LibraryPair> moved = r.libraries().stream().filter(p -> !p.status().equals("same")).toList();
        if (!moved.isEmpty()) {
            wrap(out, "libraries that differ: " + moved.size() + " (paired by Maven identity, else by file name "
                + "without the version)", "", "  ");
            for (Builds.LibraryPair p : moved) {
                wrap(out, p.describe(), "  ", "    ");
            }
        }
        long patchable = count("patchable");
        long refused = count("refused");
        long added = count("added");
        long left = r.classes().stream().filter(c -> c.status().startsWith("left out")).count();
        long notCarriedOnly = count("not carried");
        out.printf("changed classes: %d patchable, %d refused, %d left out by --only; added classes: %d%n",
            patchable, refused, left, added);
        out.printf("methods: %d changed, %d added; fields added (shadow fields): %d%n",
            r.changedMethods(), r.addedMethods(), r.addedFields());
        if (notCarriedOnly > 0) {
            wrap(out, notCarriedOnly + " changed class(es) differ only in what no patch carries (listed under NOT "
                + "CARRIED)" + (verbose ? ":" : "; -v lists them"), "", "  ");
            if (verbose) {
                r.classes().stream().filter(c -> c.status().equals("not carried")).forEach(c -> out.println("  " + c.name()));
            }
        }
        duplicates(out, "OLD", r.oldDuplicates());
        duplicates(out, "NEW", r.newDuplicates());
        section(out, "PATCHABLE", "patchable");
        section(out, "ADDED", "added");
        section(out, "SWITCH MAPS COPIED", "switch map");
        if (verbose) {
            section(out, "LEFT OUT (--only)", "left out (--only)");
        }
        if (!r.unchecked().isEmpty()) {
            out.println();
            List<String> some = r.unchecked().stream().limit(3).toList();
            wrap(out, "references not checked: the patch's code names " + r.unchecked().size() + " class(es) in neither "
                + "build nor the JDK (" + String.join(", ", some) + (r.unchecked().size() > 3 ? ", ..." : "")
                + "); give the whole class path as --old and --new to check them", "", "  ");
        }
        for (String w : r.warnings()) {
            wrap(out, "note: " + w, "", "  ");
        }
        NotCarriedNotice.print(r.notCarried(), out);
        refusals(out);
    }

    private long count(String status) {
        return r.classes().stream().filter(c -> c.status().equals(status)).count();
    }

    private static String libraries(Builds.Build b) {
        return b == null || b.libraries().isEmpty() ? "" : " in " + b.libraries().size() + " jar(s)";
    }

    /**
     * Duplicates grouped by the places they are in: two versions of one library on a class path
     * make hundreds, which read as one line per pair of places.
     */
    private void duplicates(PrintWriter out, String which, List<Builds.Duplicate> duplicates) {
        if (duplicates.isEmpty()) {
            return;
        }
        long differing = duplicates.stream().filter(d -> !d.sameBytes()).count();
        out.println();
        wrap(out, "DUPLICATE CLASSES in " + which + ": " + duplicates.size() + " class(es) are in more than one place ("
            + differing + " with different bytes). The JVM loads the first copy in class path order; lp4j compares and "
            + "patches that one, and the others are never loaded:", "", "  ");
        Map<List<String>, List<Builds.Duplicate>> byPlaces = new LinkedHashMap<>();
        duplicates.forEach(d -> byPlaces.computeIfAbsent(d.origins(), k -> new ArrayList<>()).add(d));
        int shown = 0;
        for (Map.Entry<List<String>, List<Builds.Duplicate>> g : byPlaces.entrySet()) {
            if (!verbose && shown++ >= SHOWN) {
                out.println("  ... and " + (byPlaces.size() - SHOWN) + " more groups; -v lists them all");
                break;
            }
            List<Builds.Duplicate> list = g.getValue();
            long diff = list.stream().filter(d -> !d.sameBytes()).count();
            List<String> names = list.stream().map(Builds.Duplicate::className).limit(verbose ? Long.MAX_VALUE : 3).toList();
            wrap(out, list.size() + " class(es)" + (diff > 0 ? " (" + diff + " with different bytes)" : "") + " loaded from "
                + g.getKey().get(0) + ", also in " + String.join(", ", g.getKey().subList(1, g.getKey().size())) + ": "
                + String.join(", ", names) + (names.size() < list.size() ? ", ..." : ""), "  ", "      ");
        }
    }

    private void section(PrintWriter out, String heading, String status) {
        List<PatchBuilder.ClassReport> classes = r.classes().stream().filter(c -> c.status().equals(status)).toList();
        if (classes.isEmpty()) {
            return;
        }
        out.println();
        out.println(heading + " (" + classes.size() + ")");
        for (PatchBuilder.ClassReport c : classes) {
            wrap(out, c.name(), "  ", "    ");
            if (c.includedBy() != null) {
                wrap(out, "included: " + c.includedBy(), "    ", "      ");
            }
            if (!c.origin().isEmpty() && !status.equals("left out (--only)")) {
                wrap(out, "in " + c.origin(), "    ", "      ");
            }
            if (status.equals("added") || status.equals("left out (--only)") && !verbose) {
                continue;
            }
            for (Change ch : c.changes()) {
                if (status.equals("switch map")) {
                    wrap(out, "as " + ch.member(), "    ", "      ");
                    continue;
                }
                JavaSyntax.Declaration d = c.declaration(ch.member());
                String verb = String.format("%-8s ", JavaSyntax.verb(ch.kind()));
                boolean removed = ch.kind().name().endsWith("_REMOVED"); // declared in the old build only
                wrap(out, verb + d.text() + (d.line() > 0 ? "  (line " + d.line() + (removed ? " of the old build" : "")
                    + ")" : ""), "    ", "             ");
                if (ch.note() != null) {
                    wrap(out, ch.note(), "             ", "             ");
                }
            }
        }
    }

    private void refusals(PrintWriter out) {
        if (r.refusals().isEmpty()) {
            return;
        }
        Map<String, List<Refusal>> byReason = new LinkedHashMap<>();
        Map<String, ReasonCodes.Reason> reasons = new LinkedHashMap<>();
        for (Refusal f : r.refusals()) {
            ReasonCodes.Reason reason = ReasonCodes.of(f);
            String key = reason.code().equals("other") ? "other:" + f.reason() : reason.code();
            reasons.putIfAbsent(key, reason);
            byReason.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        Set<String> classes = new LinkedHashSet<>();
        r.refusals().forEach(f -> classes.add(f.className()));
        out.println();
        wrap(out, "REFUSED: " + r.refusals().size() + " change(s) in " + classes.size() + " class(es), for "
            + byReason.size() + " reason(s); no patch is written while any selected change is refused", "", "  ");
        for (Map.Entry<String, List<Refusal>> group : byReason.entrySet()) {
            ReasonCodes.Reason reason = reasons.get(group.getKey());
            List<Refusal> list = new ArrayList<>(group.getValue());
            list.sort(java.util.Comparator.comparing(Refusal::className)); // stable: each class's refusals together
            out.println();
            wrap(out, reason.heading() + " [" + reason.code() + "]: " + list.size(), "  ", "    ");
            int shown = 0;
            String lastClass = null;
            for (Refusal f : list) {
                if (!verbose && shown++ >= SHOWN) {
                    out.println("    ... and " + (list.size() - SHOWN) + " more; -v lists them all");
                    break;
                }
                PatchBuilder.ClassReport c = classReport(f.className());
                if (!f.className().equals(lastClass)) {
                    wrap(out, f.className(), "    ", "      ");
                    if (c != null && c.includedBy() != null) {
                        wrap(out, "(included: " + c.includedBy() + ")", "      ", "        ");
                    }
                    lastClass = f.className();
                }
                if (f.member() != null) {
                    wrap(out, c == null ? f.member() : c.declaration(f.member()).text(), "      ", "          ");
                }
                if (!reason.code().equals("other")) {
                    wrap(out, f.reason(), "        ", "        ");
                }
            }
            Set<String> advice = new LinkedHashSet<>();
            list.forEach(f -> advice.add(f.advice()));
            for (String a : advice.stream().limit(verbose ? Long.MAX_VALUE : 3).toList()) {
                wrap(out, "what to do: " + a, "    ", "      ");
            }
            if (advice.size() > 3 && !verbose) {
                out.println("    (" + (advice.size() - 3) + " more pieces of advice; -v shows them)");
            }
        }
    }

    private PatchBuilder.ClassReport classReport(String name) {
        for (PatchBuilder.ClassReport c : r.classes()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Prints {@code text} wrapped at spaces to {@link #WIDTH} columns; words longer than a line stay whole. */
    public static void wrap(PrintWriter out, String text, String first, String rest) {
        String indent = first;
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                out.println(line.toString().stripTrailing());
                indent = rest;
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.println(line.toString().stripTrailing());
    }

    /** What a person reads once the patch is written: the file, the patch id, its mode and states. */
    public static void printWritten(PrintWriter out, String file, Patch p) {
        out.println("wrote " + file + " (patch " + p.id() + ")");
        wrap(out, mode(p) + "; states: " + states(p), "  ", "    ");
    }

    /** Cumulative or stacked, in words. */
    public static String mode(Patch p) {
        return p.replace() ? "cumulative: replaces whatever patch is live, in one transition"
            : "stacked: applies on top of the live patch it was built from";
    }

    /** The states the patch declares, {@code id=version, ...}, or "none". */
    public static String states(Patch p) {
        return p.states().isEmpty() ? "none"
            : String.join(", ", p.states().stream().map(s -> s.id() + "=" + s.version()).toList());
    }

    // ---- JSON ---------------------------------------------------------------------------------

    public String json(String writtenTo) {
        JsonObject root = new JsonObject();
        root.addProperty("format", 1);
        root.add("old", build(oldName, r.oldClasses(), before, r.oldDuplicates()));
        root.add("new", build(newName, r.newClasses(), after, r.newDuplicates()));
        JsonArray libs = new JsonArray();
        for (Builds.LibraryPair p : r.libraries()) {
            JsonObject l = new JsonObject();
            l.addProperty("identity", p.identity());
            l.addProperty("status", p.status());
            if (p.before() != null) {
                l.addProperty("oldVersion", p.before().version());
                l.addProperty("oldLocation", p.before().location());
            }
            if (p.after() != null) {
                l.addProperty("newVersion", p.after().version());
                l.addProperty("newLocation", p.after().location());
            }
            libs.add(l);
        }
        root.add("libraries", libs);
        JsonObject summary = new JsonObject();
        summary.addProperty("patchable", count("patchable"));
        summary.addProperty("refused", count("refused"));
        summary.addProperty("added", count("added"));
        summary.addProperty("leftOut", r.classes().stream().filter(c -> c.status().startsWith("left out")).count());
        summary.addProperty("notCarriedOnly", count("not carried"));
        summary.addProperty("unchanged", r.unchangedClasses());
        summary.addProperty("changedMethods", r.changedMethods());
        summary.addProperty("addedMethods", r.addedMethods());
        summary.addProperty("addedFields", r.addedFields());
        summary.addProperty("refusals", r.refusals().size());
        summary.addProperty("notCarried", r.notCarried().size());
        root.add("summary", summary);
        JsonArray classes = new JsonArray();
        for (PatchBuilder.ClassReport c : r.classes()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", c.name());
            o.addProperty("status", status(c.status()));
            if (!c.origin().isEmpty()) {
                o.addProperty("origin", c.origin());
            }
            if (c.includedBy() != null) {
                o.addProperty("includedBy", c.includedBy());
            }
            JsonArray changes = new JsonArray();
            for (Change ch : c.changes()) {
                JsonObject x = new JsonObject();
                x.addProperty("kind", ch.kind().name());
                x.addProperty("member", ch.member());
                JavaSyntax.Declaration d = c.declaration(ch.member());
                x.addProperty("java", d.text());
                if (d.line() > 0) {
                    x.addProperty("line", d.line());
                }
                if (ch.note() != null) {
                    x.addProperty("note", ch.note());
                }
                changes.add(x);
            }
            o.add("changes", changes);
            JsonArray refusals = new JsonArray();
            for (Refusal f : r.refusals()) {
                if (f.className().equals(c.name())) {
                    refusals.add(refusal(f, c));
                }
            }
            o.add("refusals", refusals);
            classes.add(o);
        }
        root.add("classes", classes);
        JsonArray all = new JsonArray();
        r.refusals().forEach(f -> all.add(refusal(f, classReport(f.className()))));
        root.add("refusals", all);
        root.add("notCarried", io.livepatch4j.patch.PatchFormat.notCarriedJson(r.notCarried()));
        JsonArray unchecked = new JsonArray();
        r.unchecked().forEach(unchecked::add);
        root.add("unchecked", unchecked);
        JsonArray warnings = new JsonArray();
        r.warnings().forEach(warnings::add);
        root.add("warnings", warnings);
        JsonObject patch = new JsonObject();
        patch.addProperty("built", r.patch() != null);
        if (r.patch() != null) {
            patch.addProperty("id", r.patch().id());
            patch.addProperty("replace", r.patch().replace());
            JsonArray states = new JsonArray();
            for (io.livepatch4j.patch.PatchState st : r.patch().states()) {
                JsonObject o = new JsonObject();
                o.addProperty("id", st.id());
                o.addProperty("version", st.version());
                states.add(o);
            }
            patch.add("states", states);
        }
        if (writtenTo != null) {
            patch.addProperty("file", writtenTo);
        }
        root.add("patch", patch);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    }

    /** The JSON status: patchable, refused, added, left-out, not-carried, switch-map. */
    static String status(String status) {
        return status.startsWith("left out") ? "left-out" : status.replace(' ', '-');
    }

    private static JsonObject refusal(Refusal f, PatchBuilder.ClassReport c) {
        JsonObject o = new JsonObject();
        ReasonCodes.Reason reason = ReasonCodes.of(f);
        o.addProperty("code", reason.code());
        o.addProperty("class", f.className());
        if (f.member() != null) {
            o.addProperty("member", f.member());
            o.addProperty("java", c == null ? f.member() : c.declaration(f.member()).text());
        }
        o.addProperty("reason", f.reason());
        o.addProperty("advice", f.advice());
        return o;
    }

    private static JsonObject build(String path, int classes, Builds.Build b, List<Builds.Duplicate> duplicates) {
        JsonObject o = new JsonObject();
        o.addProperty("path", path);
        o.addProperty("classes", classes);
        JsonArray libs = new JsonArray();
        if (b != null) {
            for (Builds.Library l : b.libraries()) {
                JsonObject x = new JsonObject();
                x.addProperty("location", l.location());
                x.addProperty("identity", l.identity());
                if (l.version() != null) {
                    x.addProperty("version", l.version());
                }
                x.addProperty("classes", l.classes());
                libs.add(x);
            }
        }
        o.add("libraries", libs);
        JsonArray dups = new JsonArray();
        for (Builds.Duplicate d : duplicates) {
            JsonObject x = new JsonObject();
            x.addProperty("class", d.className());
            JsonArray origins = new JsonArray();
            d.origins().forEach(origins::add);
            x.add("origins", origins);
            x.addProperty("loadedFrom", d.origins().get(0));
            x.addProperty("sameBytes", d.sameBytes());
            dups.add(x);
        }
        o.add("duplicates", dups);
        return o;
    }
}
