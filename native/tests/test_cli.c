/* Tests of the lp4j-native command line as a user (or `lp4j`) runs it: exit codes, the
 * KEY=VALUE output, and errors that say what to do. */
#define _GNU_SOURCE
#include "test.h"
#include "util.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct result {
    int code;
    char *out, *err;
};

/* Runs build/lp4j-native with args (NULL-terminated), env additions as "K=V" or NULL. */
static struct result run(const char *env_add, const char *const *args)
{
    struct result r = {-1, NULL, NULL};
    const char *d = t_tmpdir();
    char bin[PATH_MAX], out[PATH_MAX], err[PATH_MAX];
    snprintf(bin, sizeof bin, "%s/lp4j-native", t_build_dir);
    snprintf(out, sizeof out, "%s/stdout", d);
    snprintf(err, sizeof err, "%s/stderr", d);
    const char *argv[32] = {bin};
    int n = 1;
    for (; args[n - 1] != NULL && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;

    char **env = environ;
    char *extended[512];
    if (env_add != NULL) {
        int e = 0;
        for (; environ[e] != NULL && e < 510; e++)
            extended[e] = environ[e];
        extended[e++] = (char *)env_add;
        extended[e] = NULL;
        env = extended;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    if (posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, env) == 0) {
        int status;
        waitpid(pid, &status, 0);
        r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    r.out = read_text_file(out, 1 << 20);
    r.err = read_text_file(err, 1 << 20);
    return r;
}

static void done(struct result *r)
{
    free(r->out);
    free(r->err);
}

static void unknownCommandIsAUsageError(void)
{
    const char *args[] = {"frobnicate", NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == EXIT_USAGE);
    CHECK(r.err != NULL && strstr(r.err, "unknown command 'frobnicate'") != NULL);
    CHECK(strstr(r.err, "checkpoint --pid PID --dir DIR") != NULL);
    done(&r);
}

static void spawnPrintsThePidAndWritesThePidfile(void)
{
    const char *d = t_tmpdir();
    char pidfile[PATH_MAX], log[PATH_MAX];
    snprintf(pidfile, sizeof pidfile, "%s/pid", d);
    snprintf(log, sizeof log, "%s/log", d);
    const char *args[] = {"spawn", "--stdout", log, "--pidfile", pidfile, "--", "sh", "-c", "echo started; sleep 30", NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == 0);
    int pid = 0;
    CHECK(r.out != NULL && sscanf(r.out, "pid=%d", &pid) == 1 && pid > 0);
    char *text = read_text_file(pidfile, 64);
    CHECK(text != NULL && atoi(text) == pid);
    free(text);
    CHECK(pid_exists(pid, NULL, NULL, 0));
    CHECK(getsid(pid) == pid);
    kill(pid, SIGKILL);
    done(&r);
}

static void spawnOfAMissingProgramExits127AndSaysSo(void)
{
    const char *args[] = {"spawn", "--", "lp4j-no-such-program", NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == EXIT_NOT_FOUND);
    CHECK(r.err != NULL && strstr(r.err, "cannot start 'lp4j-no-such-program'") != NULL);
    CHECK(strstr(r.err, "what to do:") != NULL);
    CHECK(r.out != NULL && r.out[0] == '\0');
    done(&r);
}

static void spawnWithoutACommandIsAUsageError(void)
{
    const char *args[] = {"spawn", "--stdout", "/tmp/x", NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == EXIT_USAGE);
    done(&r);
}

static void checkpointNeedsPidAndDir(void)
{
    const char *args[] = {"checkpoint", "--dir", "/tmp/x", NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == EXIT_USAGE);
    CHECK(r.err != NULL && strstr(r.err, "--pid and --dir are required") != NULL);
    done(&r);
}

static void checkpointOfAProcessThatDoesNotExistSaysSo(void)
{
    const char *args[] = {"checkpoint", "--pid", "2147483000", "--dir", "/tmp/lp4j-never", NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == EXIT_FAILED);
    CHECK(r.err != NULL && strstr(r.err, "no running process with pid 2147483000") != NULL);
    done(&r);
}

static void checkpointWithoutCriuIsUnavailableAndSaysHowToInstall(void)
{
    const char *args[] = {"checkpoint", "--pid", "1", "--dir", "/tmp/lp4j-never", NULL};
    struct result r = run("LP4J_CRIU=/nonexistent/criu", args);
    CHECK(r.code == EXIT_UNAVAILABLE);
    CHECK(r.err != NULL && strstr(r.err, "checkpointing is unavailable here") != NULL);
    CHECK(strstr(r.err, geteuid() == 0 ? "install-criu.sh" : "root") != NULL);
    done(&r);
}

static void criuCheckWithoutCriuExits3(void)
{
    const char *args[] = {"criu-check", NULL};
    struct result r = run("LP4J_CRIU=/nonexistent/criu", args);
    CHECK(r.code == EXIT_UNAVAILABLE);
    CHECK(r.out != NULL && strstr(r.out, "criu=unavailable") != NULL);
    done(&r);
}

static void restoreOfAFolderWithoutCheckpointSaysSo(void)
{
    const char *d = t_tmpdir();
    const char *args[] = {"restore", "--dir", d, NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == EXIT_FAILED);
    CHECK(r.err != NULL && strstr(r.err, "holds no checkpoint") != NULL);
    done(&r);
}

static void spawnBenchWritesATableAndCsv(void)
{
    char csv[PATH_MAX];
    snprintf(csv, sizeof csv, "%s/b.csv", t_tmpdir());
    const char *args[] = {"spawn-bench", "--sizes", "0,8M", "--runs", "3", "--csv", csv, NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == 0);
    CHECK(r.out != NULL && strstr(r.out, "posix_spawn") != NULL && strstr(r.out, "# shape:") != NULL);
    char *text = read_text_file(csv, 1 << 16);
    CHECK(text != NULL);
    int lines = 0;
    for (char *p = text; *p; p++)
        lines += *p == '\n';
    CHECK(lines == 1 + 2 * 4);
    CHECK(strncmp(text, "size_bytes,method,runs,median_us,p99_us", 39) == 0);
    CHECK(strstr(text, "8388608,fork+exec,3,") != NULL);
    free(text);
    done(&r);
}

static void spawnBenchRejectsABadSize(void)
{
    const char *args[] = {"spawn-bench", "--sizes", "0,lots", NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == EXIT_USAGE);
    CHECK(r.err != NULL && strstr(r.err, "'0,lots'") != NULL);
    done(&r);
}

const struct test cli_tests[] = {
    T(unknownCommandIsAUsageError),
    T(spawnPrintsThePidAndWritesThePidfile),
    T(spawnOfAMissingProgramExits127AndSaysSo),
    T(spawnWithoutACommandIsAUsageError),
    T(checkpointNeedsPidAndDir),
    T(checkpointOfAProcessThatDoesNotExistSaysSo),
    T(checkpointWithoutCriuIsUnavailableAndSaysHowToInstall),
    T(criuCheckWithoutCriuExits3),
    T(restoreOfAFolderWithoutCheckpointSaysSo),
    T(spawnBenchWritesATableAndCsv),
    T(spawnBenchRejectsABadSize),
    {NULL, NULL},
};
