/* Process creation by the four methods; see create.h. Each child does nothing but execve, so
 * the child side of vfork and CLONE_VM (which runs on borrowed memory) stays async-signal-safe. */
#define _GNU_SOURCE
#include "create.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *create_method_name(enum create_method m)
{
    static const char *names[CREATE_METHODS] = {"fork+exec", "vfork+exec", "posix_spawn", "clone_vfork+exec"};
    return (unsigned)m < CREATE_METHODS ? names[m] : "?";
}

static pid_t start_fork(const char *prog, char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execve(prog, argv, environ);
        _exit(127);
    }
    return pid;
}

static pid_t start_vfork(const char *prog, char *const argv[])
{
    pid_t pid = vfork();
    if (pid == 0) {
        execve(prog, argv, environ);
        _exit(127);
    }
    return pid;
}

struct clone_arg {
    const char *prog;
    char *const *argv;
};

static int clone_child(void *p)
{
    const struct clone_arg *c = p;
    execve(c->prog, c->argv, environ);
    _exit(127);
}

static pid_t start_clone_vfork(const char *prog, char *const argv[])
{
    /* The child runs on this stack while the parent is suspended (CLONE_VFORK), so one
     * static stack serves every call. */
    static char stack[64 * 1024] __attribute__((aligned(16)));
    struct clone_arg c = {prog, argv};
    return clone(clone_child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &c);
}

int64_t create_and_reap(enum create_method m, const char *prog)
{
    char *argv[] = {(char *)prog, NULL};
    uint64_t t0 = now_ns();
    pid_t pid = -1;
    switch (m) {
    case CREATE_FORK_EXEC: pid = start_fork(prog, argv); break;
    case CREATE_VFORK_EXEC: pid = start_vfork(prog, argv); break;
    case CREATE_CLONE_VFORK: pid = start_clone_vfork(prog, argv); break;
    case CREATE_POSIX_SPAWN: {
        int rc = posix_spawn(&pid, prog, NULL, NULL, argv, environ);
        if (rc != 0)
            return -rc;
        break;
    }
    default: return -EINVAL;
    }
    if (pid < 0)
        return -errno;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    uint64_t t1 = now_ns();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -EIO;
    return (int64_t)(t1 - t0);
}
