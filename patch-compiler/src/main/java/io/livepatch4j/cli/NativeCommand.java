package io.livepatch4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * lp4j checkpoint | restore | spawn: the native companion (lp4j-native, C, x86-64 Linux), so that
 * users have one command line. Arguments pass through unchanged; see docs/native.md.
 */
final class NativeCommand {

    /** The commands lp4j hands to lp4j-native before parsing anything. */
    static final java.util.Set<String> NAMES = java.util.Set.of("checkpoint", "restore", "spawn");

    private NativeCommand() {}

    /**
     * What the three commands share. Lp4j.run hands them to lp4j-native before picocli parses
     * anything (their options are lp4j-native's); picocli knows them for the usage help.
     */
    private abstract static class PassThrough implements Callable<Integer> {
        /** Everything after the command name, options included, goes to lp4j-native unchanged. */
        @Unmatched
        List<String> args = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Lp4jException {
            return run(spec.name(), args);
        }
    }

    @Command(name = "checkpoint", description = "Checkpoint a running JVM with CRIU (lp4j-native checkpoint; see docs/native.md).")
    static final class Checkpoint extends PassThrough {
    }

    @Command(name = "restore", description = "Restore a checkpointed JVM with CRIU (lp4j-native restore; see docs/native.md).")
    static final class Restore extends PassThrough {
    }

    @Command(name = "spawn", description = "Start a command detached and checkpoint-friendly (lp4j-native spawn; see docs/native.md).")
    static final class Spawn extends PassThrough {
    }

    static int run(String command, List<String> args) throws Lp4jException {
        Path binary = binary();
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add(command);
        cmd.addAll(args);
        try {
            return new ProcessBuilder(cmd).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.INTERNAL, "cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Lp4jException(Lp4jException.INTERNAL, "interrupted", e);
        }
    }

    /** LP4J_NATIVE, or native/build/lp4j-native in the checkout lp4j.jar was built in. */
    private static Path binary() throws Lp4jException {
        String env = System.getenv("LP4J_NATIVE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try {
            Path jar = Path.of(NativeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("native/build/lp4j-native");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        } catch (URISyntaxException ignored) {
            // fall through to the message
        }
        throw new Lp4jException(Lp4jException.USAGE, "lp4j-native is not built: run 'make -C native' in the livepatch4j "
            + "checkout, or point LP4J_NATIVE at the binary");
    }
}
