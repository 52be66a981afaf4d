package io.livepatch4j.cli;

import io.livepatch4j.patch.sign.PatchSigning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/** lp4j keygen: an Ed25519 key pair for signing patches. */
@Command(name = "keygen", description = "Create an Ed25519 key pair for signing patches.")
final class KeygenCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "the directory to write the keys to")
    Path dir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        try {
            Path pub = PatchSigning.generate(dir);
            spec.commandLine().getOut().println("wrote " + dir.resolve(PatchSigning.PRIVATE_KEY_FILE) + " (keep it secret) and "
                + pub + " (give it to agents: trustedKeys=" + pub + ")");
            return 0;
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.USAGE, "cannot write the key pair into " + dir + ": "
                + Lp4jException.describe(e), e);
        } catch (GeneralSecurityException e) {
            throw new Lp4jException(Lp4jException.USAGE, e.getMessage(), e);
        }
    }
}
