/* `lp4j-native spawn`: see spawn.h for why each attribute is set. */
#define _GNU_SOURCE
#include "detached.h"
#include "files.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Opens an output of the child the safe way (files.h); on failure *rc gets SPAWN_REFUSED or errno. */
static int open_output(const char *path, int *rc, char *err, size_t errlen)
{
    if (path == NULL)
        return open("/dev/null", O_WRONLY | O_CLOEXEC | O_NOCTTY);
    char why[768];
    int fd = files_open_output(path, 1, why, sizeof why);
    if (fd == FILES_REFUSED)
        *rc = SPAWN_REFUSED;
    else if (fd < 0)
        *rc = SPAWN_OUTPUT_FAILED;
    if (fd < 0)
        snprintf(err, errlen, "cannot open %s for the child's output: %s", path, why);
    return fd;
}

int spawn_detached(const struct spawn_opts *o, pid_t *pid, char *err, size_t errlen)
{
    /* Open the files here rather than as spawn file actions, so a bad path is named. */
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (in < 0) {
        snprintf(err, errlen, "cannot open /dev/null: %s", strerror(errno));
        return errno;
    }
    int rc = 0;
    int out = open_output(o->stdout_path, &rc, err, errlen);
    int errfd = -1;
    if (out >= 0)
        errfd = o->stderr_path ? open_output(o->stderr_path, &rc, err, errlen) : out;
    if (out < 0 || errfd < 0) {
        if (rc == 0) { /* /dev/null itself would not open */
            snprintf(err, errlen, "cannot open /dev/null: %s", strerror(errno));
            rc = SPAWN_OUTPUT_FAILED;
        }
        goto close_fds;
    }

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&fa, in, 0);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, errfd, 2);
    /* Nothing else crosses over: an inherited pipe or socket would tie the child to whoever
     * started us, and CRIU refuses to dump a process with such external peers. */
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);

    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all); /* undo a shell's SIG_IGN of SIGINT/SIGQUIT */
    /* POSIX_SPAWN_SETSID: a new session has no controlling terminal, so the child never gets
     * the terminal's SIGHUP and CRIU sees no tty to dump. */
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    rc = posix_spawnp(pid, o->argv[0], &fa, &attr, o->argv, environ);
    if (rc != 0) {
        const char *why = rc == ENOENT ? "not found (in PATH, or the path does not exist)"
                        : rc == EACCES ? "permission denied (not executable, or a folder on the path is not searchable)"
                        : rc == ENOEXEC ? "not an executable format this kernel runs"
                        : strerror(rc);
        snprintf(err, errlen, "cannot start '%s': %s", o->argv[0], why);
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);

close_fds:
    close(in);
    if (out >= 0)
        close(out);
    if (errfd >= 0 && errfd != out)
        close(errfd);
    return rc;
}

static int usage(void)
{
    fputs("usage: lp4j-native spawn [--stdout FILE] [--stderr FILE] [--pidfile FILE] -- CMD [ARGS...]\n"
          "  starts CMD detached (own session, no terminal, stdin /dev/null, output appended to FILE)\n"
          "  and prints pid=N; --stderr defaults to the --stdout file, --stdout to /dev/null.\n",
          stderr);
    return EXIT_USAGE;
}

int spawn_parse(int argc, char **argv, struct spawn_opts *o, const char **pidfile)
{
    memset(o, 0, sizeof *o);
    *pidfile = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (i + 1 >= argc)
            return -1;
        if (strcmp(a, "--stdout") == 0)
            o->stdout_path = argv[++i];
        else if (strcmp(a, "--stderr") == 0)
            o->stderr_path = argv[++i];
        else if (strcmp(a, "--pidfile") == 0)
            *pidfile = argv[++i];
        else {
            lp_err("spawn", "unknown option '%s'", a);
            return -1;
        }
    }
    if (i >= argc) {
        lp_err("spawn", "no command given after '--'");
        return -1;
    }
    o->argv = &argv[i];
    return 0;
}

int cmd_spawn(int argc, char **argv)
{
    struct spawn_opts o;
    const char *pidfile;
    if (spawn_parse(argc, argv, &o, &pidfile) != 0)
        return usage();

    /* The pid file is opened before the command starts, so a refused path starts nothing. */
    char err[1024];
    int pidfd = -1;
    if (pidfile != NULL) {
        pidfd = files_open_output(pidfile, 0, err, sizeof err);
        if (pidfd < 0) {
            lp_err("spawn", "the pid file: %s", err);
            return pidfd == FILES_REFUSED ? EXIT_UNSAFE : EXIT_FAILED;
        }
    }
    pid_t pid;
    int rc = spawn_detached(&o, &pid, err, sizeof err);
    if (rc != 0) {
        if (pidfd >= 0) {
            close(pidfd);
            unlink(pidfile); /* ours: created or reused above, in a folder no one else can change */
        }
        lp_err("spawn", "%s", err);
        if (rc == ENOENT)
            lp_hint("check the command's spelling and PATH, or give its absolute path");
        return rc == SPAWN_REFUSED         ? EXIT_UNSAFE
             : rc == SPAWN_OUTPUT_FAILED ? EXIT_FAILED
             : rc == ENOENT              ? EXIT_NOT_FOUND
                                         : EXIT_EXEC_FAILED;
    }
    if (pidfd >= 0) {
        char text[32];
        int n = snprintf(text, sizeof text, "%d\n", (int)pid);
        int ok = write(pidfd, text, (size_t)n) == n;
        if (close(pidfd) != 0)
            ok = 0;
        if (!ok) {
            lp_err("spawn", "started pid %d but cannot write the pid file %s: %s; the process runs, stop it with "
                   "'kill %d' if you need the pid file", (int)pid, pidfile, strerror(errno), (int)pid);
            return EXIT_FAILED;
        }
    }
    printf("pid=%d\n", (int)pid);
    return EXIT_OK;
}
