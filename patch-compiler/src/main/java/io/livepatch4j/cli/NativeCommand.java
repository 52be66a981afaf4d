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
            return dispatch(spec.name(), args, new java.io.PrintWriter(System.out, true),
                new java.io.PrintWriter(System.err, true));
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

    /** checkpoint and restore with the JVM's agent taking part (JvmCheckpoint); spawn as it is. */
    static int dispatch(String command, List<String> args, java.io.PrintWriter out, java.io.PrintWriter err)
        throws Lp4jException {
        return switch (command) {
            case "checkpoint" -> JvmCheckpoint.checkpoint(args, out, err);
            case "restore" -> JvmCheckpoint.restore(args, out, err);
            default -> run(command, args);
        };
    }

    static int run(String command, List<String> args) throws Lp4jException {
        return run(command, args, false);
    }

    /** As {@link #run(String, List)}; {@code quiet}: lp4j-native's standard output is dropped (its errors are not). */
    static int run(String command, List<String> args, boolean quiet) throws Lp4jException {
        Path binary = binary();
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add(command);
        cmd.addAll(args);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            if (quiet) {
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            return pb.start().waitFor();
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
            Path found = find(jar.getParent());
            if (found != null) {
                return found;
            }
        } catch (URISyntaxException ignored) {
            // fall through to the message
        }
        throw new Lp4jException(Lp4jException.USAGE, "lp4j-native is not built: run 'make -C native' in the livepatch4j "
            + "checkout, or point LP4J_NATIVE at the binary");
    }

    /**
     * The first native/build/lp4j-native in start or a folder above it, or null. lp4j often runs as
     * root and walks up from its jar, so a jar in /tmp/x would find a /tmp/native/build/lp4j-native
     * any user can create (issue 14): the binary and the folders from the one it was found in down
     * to it must be owned by this user or root and writable by no one else, or it is refused.
     */
    static Path find(Path start) throws Lp4jException {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("native/build/lp4j-native");
            if (Files.isExecutable(candidate)) {
                for (Path p : List.of(dir.resolve("native"), dir.resolve("native/build"), candidate)) {
                    String why = untrusted(p);
                    if (why != null) {
                        throw new Lp4jException(Lp4jException.REFUSED, "refusing to run " + candidate + ": " + why
                            + ", so another user could have put it there; build lp4j-native in a checkout only you or "
                            + "root can write, or point LP4J_NATIVE at the binary");
                    }
                }
                return candidate;
            }
        }
        return null;
    }

    private static String untrusted(Path p) {
        return io.livepatch4j.patch.TrustedPaths.whyUntrusted(p);
    }
}
