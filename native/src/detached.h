/* Starting a process detached and checkpoint-friendly: posix_spawn into its own session, with
 * no terminal, stdin on /dev/null, stdout/stderr on files, default signal dispositions and no
 * inherited descriptors. CRIU can then dump it alone: no tty, pipe or socket ties it to us. */
#ifndef LP4J_DETACHED_H
#define LP4J_DETACHED_H

#include <stddef.h>
#include <sys/types.h>

struct spawn_opts {
    char *const *argv;       /* argv[0] is looked up in PATH */
    const char *stdout_path; /* appended to; NULL means /dev/null */
    const char *stderr_path; /* appended to; NULL means the stdout file */
};

/* Returns 0 and the child's pid, or an errno value with a sentence in err: the file that
 * could not be opened, or the reason exec failed (glibc's posix_spawn reports exec errors
 * to the parent, so "not found" is never lost in a detached child). */
int spawn_detached(const struct spawn_opts *o, pid_t *pid, char *err, size_t errlen);

int cmd_spawn(int argc, char **argv);

#endif
