/* Tests that `spawn` starts a child detached and checkpoint-friendly, and never loses an
 * exec failure. The children here are our own, so the test can wait for them. */
#define _GNU_SOURCE
#include "test.h"
#include "detached.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs sh -c script detached with stdout to a fresh file; returns that file's text. */
static char *run_sh(const char *script, int *exit_code)
{
    static char out[PATH_MAX];
    snprintf(out, sizeof out, "%s/out", t_tmpdir());
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    struct spawn_opts o = {.argv = argv, .stdout_path = out};
    char err[256];
    pid_t pid;
    if (spawn_detached(&o, &pid, err, sizeof err) != 0)
        return NULL;
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return NULL;
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return read_text_file(out, 1 << 16);
}

static void spawnedChildLeadsItsOwnSessionWithoutTerminal(void)
{
    int code;
    /* Fields 6 and 7 of /proc/PID/stat: session id and controlling tty (0: none). */
    char *text = run_sh("set -- $(cut -d' ' -f1,6,7 /proc/$$/stat); echo \"$1 $2 $3\"", &code);
    CHECK(text != NULL && code == 0);
    int pid, sid, tty;
    CHECK(sscanf(text, "%d %d %d", &pid, &sid, &tty) == 3);
    CHECK(sid == pid);
    CHECK(tty == 0);
    CHECK(getsid(0) != sid);
    free(text);
}

static void spawnedChildInheritsNoDescriptorsButStdio(void)
{
    int leak = open("/dev/null", O_RDONLY); /* no O_CLOEXEC on purpose */
    CHECK(leak >= 3);
    int code;
    /* No pipeline: the shell would hold pipe ends of its own while ls looks. */
    char *text = run_sh("ls /proc/$$/fd", &code);
    close(leak);
    CHECK(text != NULL && code == 0);
    if (strcmp(text, "0\n1\n2\n") != 0)
        fprintf(stderr, "    the child has descriptors: %s\n", text);
    CHECK(strcmp(text, "0\n1\n2\n") == 0);
    free(text);
}

static void spawnedChildHasDefaultSignalsAndStdinFromDevNull(void)
{
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigaction(SIGINT, &ign, &old); /* as a shell does for a background job */
    int code;
    char *text = run_sh("grep SigIgn /proc/$$/status; readlink /proc/$$/fd/0", &code);
    sigaction(SIGINT, &old, NULL);
    CHECK(text != NULL && code == 0);
    unsigned long long ignored = ~0ull;
    const char *line = strstr(text, "SigIgn:");
    CHECK(line != NULL && sscanf(line, "SigIgn: %llx", &ignored) == 1);
    /* Bit n-1 is signal n. Only SIGINT and SIGQUIT are asserted: glibc cannot reset its own
     * internal real-time signals (32, 33), which some launchers leave ignored. */
    CHECK((ignored & (1ull << (SIGINT - 1))) == 0);
    CHECK((ignored & (1ull << (SIGQUIT - 1))) == 0);
    CHECK(strstr(text, "/dev/null") != NULL);
    free(text);
}

static void spawnSendsStdoutAndStderrToTheirFiles(void)
{
    const char *d = t_tmpdir();
    char out[PATH_MAX], errp[PATH_MAX];
    snprintf(out, sizeof out, "%s/o", d);
    snprintf(errp, sizeof errp, "%s/e", d);
    char *argv[] = {"sh", "-c", "echo to-out; echo to-err >&2", NULL};
    struct spawn_opts o = {.argv = argv, .stdout_path = out, .stderr_path = errp};
    char err[256];
    pid_t pid;
    CHECK(spawn_detached(&o, &pid, err, sizeof err) == 0); /* "sh" found through PATH */
    CHECK(waitpid(pid, NULL, 0) == pid);
    char *o_text = read_text_file(out, 1024), *e_text = read_text_file(errp, 1024);
    CHECK(o_text != NULL && strcmp(o_text, "to-out\n") == 0);
    CHECK(e_text != NULL && strcmp(e_text, "to-err\n") == 0);
    free(o_text);
    free(e_text);
}

static void spawnReportsAProgramThatDoesNotExist(void)
{
    char *argv[] = {"/nonexistent/lp4j-no-such-program", NULL};
    struct spawn_opts o = {.argv = argv};
    char err[256] = "";
    pid_t pid;
    CHECK(spawn_detached(&o, &pid, err, sizeof err) == ENOENT);
    CHECK(strstr(err, "/nonexistent/lp4j-no-such-program") != NULL);
    CHECK(strstr(err, "not found") != NULL);
}

static void spawnReportsAProgramThatIsNotExecutable(void)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/not-a-program", t_tmpdir());
    CHECK(write_text_file(path, "plain text\n") == 0); /* mode 0644: no execute bit */
    char *argv[] = {path, NULL};
    struct spawn_opts o = {.argv = argv};
    char err[256] = "";
    pid_t pid;
    CHECK(spawn_detached(&o, &pid, err, sizeof err) == EACCES);
    CHECK(strstr(err, "permission denied") != NULL);
}

static void spawnNamesAnOutputFileItCannotOpen(void)
{
    char *argv[] = {"/bin/true", NULL};
    struct spawn_opts o = {.argv = argv, .stdout_path = "/nonexistent-dir/out.log"};
    char err[256] = "";
    pid_t pid;
    CHECK(spawn_detached(&o, &pid, err, sizeof err) == SPAWN_OUTPUT_FAILED); /* not the exec's ENOENT (exit 127) */
    CHECK(strstr(err, "/nonexistent-dir/out.log") != NULL);
}

const struct test spawn_tests[] = {
    T(spawnedChildLeadsItsOwnSessionWithoutTerminal),
    T(spawnedChildInheritsNoDescriptorsButStdio),
    T(spawnedChildHasDefaultSignalsAndStdinFromDevNull),
    T(spawnSendsStdoutAndStderrToTheirFiles),
    T(spawnReportsAProgramThatDoesNotExist),
    T(spawnReportsAProgramThatIsNotExecutable),
    T(spawnNamesAnOutputFileItCannotOpen),
    {NULL, NULL},
};
