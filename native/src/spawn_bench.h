/* `lp4j-native spawn-bench`: process-creation latency against the parent's touched memory,
 * the measurement behind Figure 1 of "A fork() in the road" (HotOS'19). */
#ifndef LP4J_SPAWN_BENCH_H
#define LP4J_SPAWN_BENCH_H

#include <stdint.h>

#define SPAWN_BENCH_MAX_SIZES 16

struct bench_opts {
    uint64_t sizes[SPAWN_BENCH_MAX_SIZES];
    int nsizes;
    long runs;
    int thp;
    const char *program, *csv;
};

int cmd_spawn_bench(int argc, char **argv);
/* The command line of spawn-bench (argv[0] is "spawn-bench"); 0, or -1 after saying why. */
int spawn_bench_parse(int argc, char **argv, struct bench_opts *o);

#endif
