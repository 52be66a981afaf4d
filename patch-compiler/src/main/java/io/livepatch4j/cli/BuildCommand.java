package io.livepatch4j.cli;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.build.Builds;
import io.livepatch4j.patch.build.PatchBuilder;
import io.livepatch4j.patch.diff.Refusal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** lp4j build: a patch from two builds of one program. */
@Command(name = "build", description = "Build a patch from the build a JVM runs (--old) and the fixed build (--new).")
final class BuildCommand implements Callable<Integer> {

    @Option(names = "--old", required = true, description = "the build the JVM runs: a jar or a folder of classes")
    Path oldBuild;

    @Option(names = "--new", required = true, description = "the fixed build: a jar or a folder of classes")
    Path newBuild;

    @Option(names = {"-o", "--output"}, description = "the patch file to write")
    Path output;

    @Option(names = "--only", description = "include only this class (and its nested classes), or a package "
        + "with '.*'; repeatable. Added classes the selected code uses come along.")
    List<String> only;

    @Option(names = "--id", description = "the patch id (default: derived from the content)")
    String id;

    @Option(names = "--description", description = "free text stored in the patch")
    String description;

    @Option(names = "--dry-run", description = "report what is patchable and write nothing")
    boolean dryRun;

    @Option(names = "--strict", description = "refuse to write a patch when any difference between the selected "
        + "classes or resources is not carried (annotations, constants read by reflection, resources...; listed "
        + "as NOT CARRIED); classes left out with --only are not such differences")
    boolean strict;

    @Option(names = {"-v", "--verbose"}, description = "print every change, and stack traces on errors")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        if (output == null && !dryRun) {
            throw new Lp4jException(Lp4jException.USAGE, "give the patch file to write with -o FILE, or --dry-run");
        }
        Builds.Build before;
        Builds.Build after;
        try {
            before = Builds.readBuild(oldBuild);
            after = Builds.readBuild(newBuild);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.USAGE, e.getMessage(), e);
        }
        PatchBuilder.Report r = PatchBuilder.build(before, after,
            new PatchBuilder.Options(id, description, only, "livepatch4j " + Lp4j.version()));
        PrintWriter out = spec.commandLine().getOut();
        print(r, out);
        out.flush(); // the report first, then what goes to stderr: on one terminal they must not interleave
        if (!r.refusals().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            for (Refusal refusal : r.refusals()) {
                err.println("refused: " + refusal.message());
            }
            if (dryRun) {
                return 0;
            }
            throw new Lp4jException(Lp4jException.REFUSED, r.refusals().size() + " change(s) cannot be patched (above); "
                + "no patch was written. Leave those classes out with --only, or ship them with the next release");
        }
        if (r.patch() == null) {
            if (!r.notCarried().isEmpty()) {
                throw new Lp4jException(Lp4jException.REFUSED, "OLD and NEW differ only in what a patch cannot carry "
                    + "(NOT CARRIED, above): there is no code to patch, so no patch was written");
            }
            throw new Lp4jException(Lp4jException.REFUSED, r.debugOnlyClasses() > 0
                ? "OLD and NEW differ only in debug information (line numbers, local variable names) of "
                    + r.debugOnlyClasses() + " class(es) and in nothing a patch would change; no patch was written"
                : "OLD and NEW do not differ in any selected class or resource; no patch was written");
        }
        if (strict && !r.notCarried().isEmpty()) {
            throw new Lp4jException(Lp4jException.REFUSED, r.notCarried().size() + " difference(s) would not be "
                + "carried (NOT CARRIED, above) and --strict was given; no patch was written");
        }
        if (dryRun) {
            return 0;
        }
        try {
            PatchFormat.write(r.patch(), output);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.USAGE, "cannot write " + output + ": " + e.getMessage(), e);
        }
        out.println("wrote " + output + " (patch " + r.patch().id() + ")");
        return 0;
    }

    private void print(PatchBuilder.Report r, PrintWriter out) {
        out.printf("OLD %s: %d classes; NEW %s: %d classes; %d in both, %d unchanged%n", oldBuild, r.oldClasses(),
            newBuild, r.newClasses(), r.commonClasses(), r.unchangedClasses());
        long patchable = r.classes().stream().filter(c -> c.status().equals("patchable")).count();
        long refused = r.classes().stream().filter(c -> c.status().equals("refused")).count();
        long added = r.classes().stream().filter(c -> c.status().equals("added")).count();
        long left = r.classes().stream().filter(c -> c.status().startsWith("left out")).count();
        out.printf("changed classes: %d patchable, %d refused, %d left out by --only; added classes: %d%n",
            patchable, refused, left, added);
        out.printf("methods: %d changed, %d added; fields added (shadow fields): %d%n",
            r.changedMethods(), r.addedMethods(), r.addedFields());
        for (PatchBuilder.ClassReport c : r.classes()) {
            if (c.status().startsWith("left out") && !verbose) {
                continue;
            }
            out.printf("  %-9s %s%n", c.status().startsWith("left out") ? "left out" : c.status(), c.name());
            if (verbose || c.status().equals("patchable")) {
                for (Change ch : c.changes()) {
                    out.println("      " + ch);
                }
            }
        }
        for (String w : r.warnings()) {
            out.println("note: " + w);
        }
        NotCarriedNotice.print(r.notCarried(), out);
    }
}
