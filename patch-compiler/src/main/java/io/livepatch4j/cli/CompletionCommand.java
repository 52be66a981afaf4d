package io.livepatch4j.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * lp4j completion: the bash (and zsh) completion script picocli generates from lp4j's own command
 * tree, so it can never disagree with the options lp4j takes.
 */
@Command(name = "completion", description = {"Print the bash completion script for lp4j.",
    "Load it now with: source <(lp4j completion); or install it: lp4j completion > /etc/bash_completion.d/lp4j"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("lp4j", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
