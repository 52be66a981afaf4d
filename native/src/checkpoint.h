/* `lp4j-native checkpoint`: dump a running JVM (or any process tree) with CRIU, optionally
 * after N iterative pre-dumps, and report frozen time, total time, image size, throughput. */
#ifndef LP4J_CHECKPOINT_H
#define LP4J_CHECKPOINT_H

#define CHECKPOINT_META "lp4j-checkpoint.txt"

int cmd_checkpoint(int argc, char **argv);

/* True if /proc/PID/maps shows a mapped hsperfdata file (the JVM's default perf data). */
int maps_hsperfdata(int pid);

#endif
