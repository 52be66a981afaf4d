/* Starting a process detached and checkpoint-friendly: posix_spawn into its own session, with
 * no terminal, stdin on /dev/null, stdout/stderr on files, default signal dispositions and no
 * inherited descriptors. CRIU can then dump it alone: no tty, pipe or socket ties it to us. */
#ifndef LP4J_DETACHED_H
#define LP4J_DETACHED_H

#include <stddef.h>
#include <sys/types.h>

struct spawn_opts {
    char *const *argv;       /* argv[0] is looked up in PATH */
    const char *stdout_path; /* appended to (created 0600, see files.h); NULL means /dev/null */
    const char *stderr_path; /* appended to; NULL means the stdout file */
};

#define SPAWN_REFUSED (-1)       /* an output path another user could steer (files.h's rule) */
#define SPAWN_OUTPUT_FAILED (-2) /* an output file cannot be opened (no such folder, ...) */

/* Returns 0 and the child's pid, SPAWN_REFUSED, SPAWN_OUTPUT_FAILED, or an errno value of the
 * exec, with a sentence in err:
 * the file that could not be opened or was refused, or the reason exec failed (glibc's
 * posix_spawn reports exec errors to the parent, so "not found" is never lost in a detached
 * child). */
int spawn_detached(const struct spawn_opts *o, pid_t *pid, char *err, size_t errlen);

int cmd_spawn(int argc, char **argv);
/* The command line of spawn (argv[0] is "spawn"); 0, or -1 after saying why. */
int spawn_parse(int argc, char **argv, struct spawn_opts *o, const char **pidfile);

#endif
