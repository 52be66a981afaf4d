package io.livepatch4j.cli;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.build.BuildReport;
import io.livepatch4j.patch.build.NotCarriedNotice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** lp4j inspect: what a patch contains and what it was built against, in words. */
@Command(name = "inspect", description = "Show what a patch contains and what it was built against.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the patch file")
    Path file;

    @Option(names = "--json", description = "print the patch's manifest (patch.json) as it is")
    boolean json;

    @Option(names = "--key", paramLabel = "PUBLIC_KEY", description = "verify the patch's signature with this public "
        + "key (lp4j-signing.pub); repeatable: any one of them. Without it a signature is shown as claimed, not verified")
    java.util.List<Path> keys;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        Patch p = read(file);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(new String(PatchFormat.manifestBytes(p), StandardCharsets.UTF_8));
            out.flush();
            return 0;
        }
        out.println("patch " + p.id() + (p.description() == null ? "" : ": " + p.description()));
        out.println("  built " + p.createdAt() + " by " + p.compiler());
        boolean verified = printSignature(p, out);
        out.println("  " + BuildReport.mode(p));
        out.println("  states: " + BuildReport.states(p));
        out.println("  changes " + p.classes().size() + " loaded class(es) and adds " + p.newClasses().size());
        for (ClassPatch c : p.classes()) {
            out.println();
            out.println("  " + c.name());
            out.println("    applies only to the class with SHA-256 " + c.baseSha256());
            out.println("    becomes the class with SHA-256         " + c.targetSha256());
            if (c.reinitialize()) {
                out.println("    re-initialized: the new generation gets fresh static state from the new static initializer");
            }
            for (Change ch : c.changes()) {
                out.println("    " + describe(ch));
            }
        }
        for (NewClass c : p.newClasses()) {
            out.println();
            out.println("  adds class " + c.name() + " (SHA-256 " + Sha256.shortHex(c.sha256()) + "…)");
        }
        if (!p.hooks().isEmpty()) {
            out.println();
            out.println("  callbacks and state transformers (run in this order within an apply, then a rollback):");
            for (io.livepatch4j.patch.PatchHook.Kind kind : io.livepatch4j.patch.PatchHook.Kind.values()) {
                p.hooks().stream().filter(h -> h.kind() == kind)
                    .forEach(h -> out.println("    " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + " " + h.display()));
            }
        }
        if (!p.notCarried().isEmpty()) {
            out.println();
            NotCarriedNotice.print(p.notCarried(), out);
        }
        return verified ? 0 : Lp4jException.REFUSED;
    }

    /**
     * The signature line: unsigned; claimed and not verified (no --key); or verified with one of the
     * keys. False when --key was given and the signature does not verify (the patch was changed after
     * it was signed, or another key signed it): inspect then exits 1.
     */
    private boolean printSignature(Patch p, PrintWriter out) throws Lp4jException {
        if (p.signature() == null) {
            out.println("  unsigned");
            return keys == null || keys.isEmpty();
        }
        String claimed = "(" + p.signature().algorithm() + ") by key " + Sha256.shortHex(p.signature().keyId()) + "…";
        if (keys == null || keys.isEmpty()) {
            out.println("  claims a signature " + claimed + ", not verified: give --key PUBLIC_KEY to verify it");
            return true;
        }
        java.util.List<java.security.PublicKey> trusted = new java.util.ArrayList<>();
        for (Path k : keys) {
            try {
                trusted.add(io.livepatch4j.patch.sign.PatchSigning.readPublicKey(k));
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new Lp4jException(Lp4jException.USAGE, k + " is not a livepatch4j public key (" + e.getMessage()
                    + "); give the lp4j-signing.pub that 'lp4j keygen' wrote", e);
            }
        }
        try {
            io.livepatch4j.patch.sign.PatchSigning.verify(p, trusted);
            out.println("  signed " + claimed + ", verified with " + (keys.size() == 1 ? keys.get(0) : "one of " + keys));
            return true;
        } catch (PatchException e) {
            out.println("  signature NOT verified: " + e.getMessage());
            return false;
        }
    }

    static Patch read(Path file) throws Lp4jException {
        if (!Files.isRegularFile(file)) {
            throw new Lp4jException(Lp4jException.USAGE, file + " is not a file");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > PatchFormat.MAX_FILE_BYTES) {
                throw new PatchException("refused: " + file + " is " + size + " bytes, larger than a livepatch4j patch "
                    + "can be (" + (PatchFormat.MAX_FILE_BYTES >> 20) + " MiB; docs/patch-format.md)");
            }
            bytes = Files.readAllBytes(file);
        } catch (PatchException e) {
            throw new Lp4jException(Lp4jException.REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.USAGE, "cannot read " + file + ": " + Lp4jException.describe(e), e);
        }
        try {
            return PatchFormat.read(bytes, file.toString());
        } catch (PatchException e) {
            throw new Lp4jException(Lp4jException.REFUSED, e.getMessage(), e);
        }
    }

    private static String describe(Change c) {
        String what = switch (c.kind()) {
            case METHOD_BODY -> "new body for method ";
            case METHOD_ADDED -> "adds method ";
            case METHOD_REMOVED -> "no longer uses method ";
            case FIELD_ADDED -> "adds field ";
            case FIELD_REMOVED -> "no longer uses field ";
            case CLASS_ADDED -> "adds class ";
            case MODIFIERS -> "changes the modifiers of ";
            case STATIC_INITIALIZER -> "static initializer: ";
        };
        return what + c.member() + (c.note() == null ? "" : " (" + c.note() + ")");
    }
}
