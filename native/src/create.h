/* The four ways to start a program that "A fork() in the road" (HotOS'19) compares, each
 * timed from just before the call to the moment the child has exited and been reaped. */
#ifndef LP4J_CREATE_H
#define LP4J_CREATE_H

#include <stdint.h>

enum create_method {
    CREATE_FORK_EXEC,      /* fork(): copies the parent's page tables, so it grows with the parent */
    CREATE_VFORK_EXEC,     /* vfork(): shares the parent's memory until exec */
    CREATE_POSIX_SPAWN,    /* glibc implements it with clone(CLONE_VM|CLONE_VFORK) */
    CREATE_CLONE_VFORK,    /* clone(CLONE_VM|CLONE_VFORK) + execve by hand */
    CREATE_METHODS
};

const char *create_method_name(enum create_method m);

/* Starts prog (no arguments), waits for it; returns the elapsed nanoseconds, or -errno if it
 * could not be started, or -EIO if it did not exit with status 0. */
int64_t create_and_reap(enum create_method m, const char *prog);

#endif
