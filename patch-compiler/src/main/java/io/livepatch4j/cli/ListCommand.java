package io.livepatch4j.cli;

import com.google.gson.JsonObject;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** lp4j list: the local JVMs, whether each has the agent, and which generation it runs. */
@Command(name = "list", description = "List the local JVMs, whether each has the agent, and the generation it runs.")
final class ListCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-8s %-8s %-10s %-5s %s%n", "PID", "AGENT", "MODE", "GEN", "MAIN");
        long self = ProcessHandle.current().pid();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == self) {
                continue;
            }
            String agent = "no";
            String mode = "-";
            String gen = "-";
            io.livepatch4j.control.ControlSockets.Located socket = locate(pid);
            if (socket != null && socket.found()) {
                try {
                    // A stopped JVM accepts the connection and never answers: list goes on without it.
                    JsonObject s = new AgentClient(socket, java.time.Duration.ofSeconds(3)).status();
                    agent = "yes";
                    mode = s.get("mode").getAsString();
                    gen = "G" + s.get("currentGeneration").getAsLong();
                } catch (Lp4jException e) {
                    agent = "?";
                }
            }
            String name = d.displayName().isBlank() ? "(unknown)" : d.displayName();
            out.printf("%-8d %-8s %-10s %-5s %s%n", pid, agent, mode, gen, name.length() > 80 ? name.substring(0, 80) + "…" : name);
        }
        out.println("(JVMs started with -XX:-UsePerfData are not listed; lp4j status --pid PID still reaches them)");
        return 0;
    }

    /** The JVM's control sockets, or null where we may not look (another user's process). */
    private static io.livepatch4j.control.ControlSockets.Located locate(long pid) {
        try {
            return io.livepatch4j.control.ControlSockets.locate(pid);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
