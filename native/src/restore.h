/* `lp4j-native restore`: bring a checkpoint back as a detached process tree. Before asking
 * CRIU, it checks that every PID and thread id of the checkpoint is free, because CRIU must
 * give each task its old id and otherwise fails late and obscurely. */
#ifndef LP4J_RESTORE_H
#define LP4J_RESTORE_H

#include <stddef.h>
#include <sys/types.h>

struct restore_opts {
    const char *dir;
    long wait_s;
    int tcp;
    int lazy; /* --lazy-pages: memory served on first touch by a criu lazy-pages daemon */
};

int cmd_restore(int argc, char **argv);
/* The command line of restore (argv[0] is "restore"); 0, or -1 after saying why. */
int restore_parse(int argc, char **argv, struct restore_opts *o);

/* The thread id in a CRIU image name "core-TID.img", or 0 if name is not one. */
pid_t core_image_tid(const char *name);
/* The parent pid in the text of /proc/PID/stat, or 0. */
pid_t stat_ppid(const char *stat);
/* The Tgid in the text of /proc/TID/status, or 0. */
pid_t status_tgid(const char *status);

/* The thread ids a checkpoint in dir needs: one core-TID.img per thread. Returns how many
 * were found (at most max), or -1 if dir cannot be read. */
int checkpoint_tids(const char *dir, pid_t *tids, int max);

/* The first of tids that is taken on this machine, or 0 if all are free. */
pid_t first_taken(const pid_t *tids, int n);

/* Reads key's value from the KEY=VALUE lines of text into out; returns 0 or -1. */
int meta_value(const char *text, const char *key, char *out, size_t outlen);

#endif
