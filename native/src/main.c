/* lp4j-native: the C companion of livepatch4j. One binary, one subcommand per task; each
 * prints KEY=VALUE lines on stdout (stable, for `lp4j` to delegate to) and errors with advice
 * on stderr. Exit codes are in util.h and docs/native.md. */
#include "checkpoint.h"
#include "criu.h"
#include "restore.h"
#include "detached.h"
#include "spawn_bench.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static int cmd_criu_check(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fputs("usage: lp4j-native criu-check\n", stderr);
        return EXIT_USAGE;
    }
    char why[1024];
    enum criu_gate g = criu_gate(why, sizeof why);
    if (g != CRIU_OK) {
        printf("criu=unavailable\n");
        lp_err("criu-check", "checkpoint/restore is unavailable: %s", why);
        return EXIT_UNAVAILABLE;
    }
    printf("criu=ok\ncriu_path=%s\npre_dump=%s\nlazy_pages=%s\n", criu_describe(),
           criu_has_feature("mem_dirty_track") ? "yes" : "no (kernel without CONFIG_MEM_SOFT_DIRTY)",
           criu_has_lazy_pages() ? "yes" : "no (no userfaultfd for CRIU)");
    fprintf(stderr, "lp4j-native criu-check: %s\n", why);
    return EXIT_OK;
}

static int usage(FILE *to, int code)
{
    fputs("usage: lp4j-native COMMAND [OPTIONS]\n"
          "  spawn [--stdout F] [--stderr F] [--pidfile F] -- CMD ARGS...   start CMD detached, checkpoint-friendly\n"
          "  checkpoint --pid PID --dir DIR [--leave-running] [--pre-dump N] [--tcp-established]\n"
          "  restore --dir DIR [--pid-wait S] [--tcp-established] [--lazy-pages]  restore detached, print the new pid\n"
          "  page-server --dir DIR --port P [--address A]                     receive one checkpoint's pages\n"
          "  criu-check                                                       can this machine checkpoint? why not?\n"
          "  spawn-bench [--sizes 0,64M,256M,1G,4G] [--runs N] [--csv F]      process-creation cost vs parent size\n"
          "Each command prints KEY=VALUE lines; see docs/native.md.\n",
          to);
    return code;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr, EXIT_USAGE);
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0)
        return usage(stdout, EXIT_OK);
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } COMMANDS[] = {
        {"spawn", cmd_spawn},
        {"checkpoint", cmd_checkpoint},
        {"restore", cmd_restore},
        {"page-server", cmd_page_server},
        {"criu-check", cmd_criu_check},
        {"spawn-bench", cmd_spawn_bench},
    };
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(cmd, COMMANDS[i].name) == 0)
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "lp4j-native: unknown command '%s'\n", cmd);
    return usage(stderr, EXIT_USAGE);
}
