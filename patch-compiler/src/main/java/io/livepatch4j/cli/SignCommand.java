package io.livepatch4j.cli;

import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.sign.PatchSigning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/** lp4j sign: adds an Ed25519 signature to a patch. */
@Command(name = "sign", description = "Sign a patch with an Ed25519 key made by 'lp4j keygen'.")
final class SignCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the patch file (signed in place unless -o is given)")
    Path file;

    @Option(names = "--key", required = true, description = "the private key file (lp4j-signing.key)")
    Path key;

    @Option(names = "--public-key", description = "the public key file (default: lp4j-signing.pub beside the private key)")
    Path publicKey;

    @Option(names = {"-o", "--output"}, description = "write the signed patch here instead")
    Path output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        Patch p = InspectCommand.read(file);
        Path pubFile = publicKey != null ? publicKey : key.resolveSibling(PatchSigning.PUBLIC_KEY_FILE);
        Patch signed;
        try {
            signed = PatchSigning.signWithKeyFiles(p, key, pubFile);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.USAGE, "cannot read the key pair (" + key + ", " + pubFile + "): "
                + Lp4jException.describe(e) + "; 'lp4j keygen -o DIR' makes one", e);
        } catch (GeneralSecurityException | io.livepatch4j.patch.PatchException e) {
            throw new Lp4jException(Lp4jException.USAGE, "cannot sign with " + key + ": " + e.getMessage()
                + " (do " + key + " and " + pubFile + " belong together?)", e);
        }
        try {
            Path out = output != null ? output : file;
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".lp4j-sign", ".tmp");
            PatchFormat.write(signed, tmp);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println("signed " + out + " with key " + Sha256.shortHex(signed.signature().keyId()) + "…");
            return 0;
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.USAGE, "cannot write the signed patch: " + Lp4jException.describe(e), e);
        }
    }
}
