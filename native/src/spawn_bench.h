/* `lp4j-native spawn-bench`: process-creation latency against the parent's touched memory,
 * the measurement behind Figure 1 of "A fork() in the road" (HotOS'19). */
#ifndef LP4J_SPAWN_BENCH_H
#define LP4J_SPAWN_BENCH_H

int cmd_spawn_bench(int argc, char **argv);

#endif
