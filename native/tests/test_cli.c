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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct result {
    int code;
    char *out, *err;
};

/* Runs build/lp4j-native with args (NULL-terminated) and env additions ("K=V", NULL-terminated, or NULL). */
static struct result run_env(const char *const *env_add, const char *const *args)
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
        for (; environ[e] != NULL && e < 500; e++)
            extended[e] = environ[e];
        for (int a = 0; env_add[a] != NULL && e < 510; a++)
            extended[e++] = (char *)env_add[a];
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

static struct result run(const char *env1, const char *const *args)
{
    const char *env[] = {env1, NULL};
    return run_env(env1 != NULL ? env : NULL, args);
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
    const char *args[] = {"spawn", "--stdout", log, "--pidfile", pidfile, "--", "sh", "-c", "echo started; exec sleep 30", NULL};
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

/* --- checkpoint and restore against tests/fake-criu.sh, which records its arguments --- */

struct fake {
    char dir[PATH_MAX], calls[PATH_MAX], env_criu[PATH_MAX + 32], env_log[PATH_MAX + 16];
    const char *env[4];
    pid_t child;
};

/* A sleeping child to checkpoint, and the environment that points lp4j-native at the fake. */
static int fake_setup(struct fake *f, const char *fail)
{
    const char *d = t_tmpdir();
    snprintf(f->dir, sizeof f->dir, "%s/ck", d);
    snprintf(f->calls, sizeof f->calls, "%s/calls", d);
    char tests[PATH_MAX];
    if (realpath(t_tests_dir, tests) == NULL)
        return -1;
    snprintf(f->env_criu, sizeof f->env_criu, "LP4J_CRIU=%s/fake-criu.sh", tests);
    snprintf(f->env_log, sizeof f->env_log, "FAKE_CRIU_LOG=%s", f->calls);
    f->env[0] = f->env_criu;
    f->env[1] = f->env_log;
    f->env[2] = fail;
    f->env[3] = NULL;
    f->child = fork();
    if (f->child == 0) {
        execl("/bin/sleep", "sleep", "30", (char *)NULL);
        _exit(127);
    }
    return f->child > 0 ? 0 : -1;
}

static void fake_teardown(struct fake *f)
{
    if (f->child > 0) {
        kill(f->child, SIGKILL);
        waitpid(f->child, NULL, 0);
    }
}

/* The line of the calls log that starts with prefix, or NULL (points into calls). */
static const char *call_line(const char *calls, const char *prefix)
{
    for (const char *l = calls; l != NULL && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, prefix, strlen(prefix)) == 0)
            return l;
    return NULL;
}

static int line_has(const char *line, const char *what)
{
    const char *end = line != NULL ? strchr(line, '\n') : NULL;
    const char *hit = line != NULL ? strstr(line, what) : NULL;
    return hit != NULL && (end == NULL || hit < end);
}

/* Checkpoint runs the fake CRIU only as root (the CRIU gate stops it before): 0, and says so, if not root. */
static int root_past_the_criu_gate(void)
{
    if (geteuid() == 0)
        return 1;
    fprintf(stderr, "    (not root: the CRIU gate stops checkpoint before the fake; not checked)\n");
    return 0;
}

static void preDumpsChainIntoTheFinalDump(void)
{
    if (!root_past_the_criu_gate())
        return;
    struct fake f;
    CHECK(fake_setup(&f, NULL) == 0);
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)f.child);
    const char *args[] = {"checkpoint", "--pid", pid, "--dir", f.dir, "--pre-dump", "2", "--tcp-established", NULL};
    struct result r = run_env(f.env, args);
    char *calls = read_text_file(f.calls, 1 << 16);
    fake_teardown(&f);
    if (r.code != 0)
        fprintf(stderr, "    stderr: %s", r.err ? r.err : "");
    CHECK(r.code == 0);
    CHECK(calls != NULL);
    char want[PATH_MAX + 64];
    /* pre-dump 1 has no parent; pre-dump 2 links to ../pre-1; the dump links to pre-2 (relative to -D). */
    snprintf(want, sizeof want, "pre-dump -t %s -D %s/pre-1 ", pid, f.dir);
    const char *pre1 = call_line(calls, want);
    CHECK(pre1 != NULL && line_has(pre1, "--track-mem") && !line_has(pre1, "--prev-images-dir"));
    snprintf(want, sizeof want, "pre-dump -t %s -D %s/pre-2 ", pid, f.dir);
    const char *pre2 = call_line(calls, want);
    CHECK(pre2 != NULL && line_has(pre2, "--prev-images-dir ../pre-1") && line_has(pre2, "--tcp-established"));
    CHECK(line_has(pre2, "--network-lock nftables"));
    snprintf(want, sizeof want, "dump -t %s -D %s ", pid, f.dir);
    const char *dump = call_line(calls, want);
    CHECK(dump != NULL && line_has(dump, "--prev-images-dir pre-2") && line_has(dump, "--track-mem"));
    CHECK(!line_has(dump, "--leave-running"));
    CHECK(strstr(r.out, "pre_dumps=2\n") != NULL);
    CHECK(strstr(r.out, "pre_dump.1.bytes=8192\n") != NULL && strstr(r.out, "pre_dump.2.ms=") != NULL);
    CHECK(strstr(r.out, "frozen_ms=2.5\n") != NULL);
    CHECK(strstr(r.out, "image_bytes=8192\nimages_total_bytes=24576\n") != NULL);
    CHECK(strstr(r.out, "pages_skipped_parent=1\n") != NULL);
    free(calls);
    done(&r);
}

static void restoreWaitsForNoOneButRefusesALiveOwnerThenRestores(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "    (not root: the CRIU gate stops restore before the fake; not checked)\n");
        return;
    }
    struct fake f;
    CHECK(fake_setup(&f, NULL) == 0);
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)f.child);
    const char *ck[] = {"checkpoint", "--pid", pid, "--dir", f.dir, "--tcp-established", NULL};
    struct result r = run_env(f.env, ck);
    CHECK(r.code == 0);
    done(&r);
    /* The fake wrote core-PID.img and the child still runs: restore must refuse, naming it. */
    const char *rs[] = {"restore", "--dir", f.dir, "--pid-wait", "0", NULL};
    r = run_env(f.env, rs);
    CHECK(r.code == EXIT_CONFLICT);
    char want[128];
    snprintf(want, sizeof want, "pid %s, which the checkpoint", pid);
    CHECK(r.err != NULL && strstr(r.err, want) != NULL && strstr(r.err, "running process 'sleep'") != NULL);
    done(&r);
    fake_teardown(&f); /* we are its parent: it is reaped at once, its pid free */
    r = run_env(f.env, rs);
    CHECK(r.code == 0);
    CHECK(r.out != NULL && strstr(r.out, "pid=4242\n") != NULL && strstr(r.out, "criu_restore_ms=1.5\n") != NULL);
    char *calls = read_text_file(f.calls, 1 << 16);
    const char *restore = call_line(calls, "restore -D ");
    CHECK(restore != NULL && line_has(restore, "--restore-detached"));
    CHECK(line_has(restore, "--tcp-established")); /* recorded at checkpoint, repeated by itself */
    CHECK(line_has(restore, "--network-lock nftables"));
    free(calls);
    done(&r);
}

static void lazyRestoreIsRefusedWhereTheKernelHasNoUserfaultfd(void)
{
    if (!root_past_the_criu_gate())
        return;
    struct fake f;
    CHECK(fake_setup(&f, "FAKE_CRIU_NO_FEATURE=uffd-noncoop") == 0);
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)f.child);
    const char *ck[] = {"checkpoint", "--pid", pid, "--dir", f.dir, NULL};
    struct result r = run_env(f.env, ck);
    CHECK(r.code == 0);
    done(&r);
    fake_teardown(&f);
    const char *rs[] = {"restore", "--dir", f.dir, "--lazy-pages", NULL};
    r = run_env(f.env, rs);
    CHECK(r.code == EXIT_UNAVAILABLE);
    CHECK(r.err != NULL && strstr(r.err, "lazy restore is unavailable here") != NULL && strstr(r.err, "userfaultfd") != NULL);
    CHECK(strstr(r.err, "what to do: restore without --lazy-pages") != NULL);
    char *calls = read_text_file(f.calls, 1 << 16);
    CHECK(calls != NULL && call_line(calls, "restore ") == NULL && call_line(calls, "lazy-pages ") == NULL);
    free(calls);
    done(&r);
}

static void aRefusedDumpQuotesCriuAndSaysTheProcessRuns(void)
{
    if (!root_past_the_criu_gate())
        return;
    struct fake f;
    CHECK(fake_setup(&f, "FAKE_CRIU_FAIL=dump") == 0);
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)f.child);
    const char *args[] = {"checkpoint", "--pid", pid, "--dir", f.dir, NULL};
    struct result r = run_env(f.env, args);
    fake_teardown(&f);
    CHECK(r.code == EXIT_FAILED);
    CHECK(r.err != NULL && strstr(r.err, "Connected TCP socket") != NULL);
    CHECK(strstr(r.err, "what to do: the process has established TCP connections; pass --tcp-established") != NULL);
    CHECK(strstr(r.err, "is still running") != NULL);
    CHECK(r.out != NULL && r.out[0] == '\0');
    done(&r);
}

static void theGateNamesAnOldCriuAndAKernelItRefuses(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "    (not root: the gate stops at root; not checked)\n");
        return;
    }
    struct fake f;
    CHECK(fake_setup(&f, "FAKE_CRIU_VERSION=4.1.1") == 0);
    fake_teardown(&f);
    const char *args[] = {"criu-check", NULL};
    struct result r = run_env(f.env, args);
    CHECK(r.code == EXIT_UNAVAILABLE);
    CHECK(r.err != NULL && strstr(r.err, "is CRIU 4.1; this needs >= 4.2") != NULL);
    CHECK(strstr(r.err, "install-criu.sh") != NULL);
    done(&r);

    f.env[2] = "FAKE_CRIU_CHECK_FAIL=1";
    r = run_env(f.env, args);
    CHECK(r.code == EXIT_UNAVAILABLE);
    CHECK(r.err != NULL && strstr(r.err, "'criu check' says this kernel cannot checkpoint: "
                                         "Error (criu/cr-check.c:80): Can't open /dev/ptmx") != NULL);
    done(&r);
}

/* --- files other users could plant or read (issue 14, items 2 and 3); root only --- */

/* Runs a shell command as nobody; returns its exit status. */
static int as_nobody(const char *cmd)
{
    char line[PATH_MAX * 3];
    snprintf(line, sizeof line, "runuser -u nobody -- sh -c '%s' 2>/dev/null", cmd);
    int status = system(line);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A folder everyone may traverse, holding a sticky world-writable "shared" folder (like /tmp)
 * and a root-only file "victim" that holds a secret. */
struct shared {
    char top[128], dir[256], victim[256];
};

static int shared_setup(struct shared *s)
{
    snprintf(s->top, sizeof s->top, "%s", t_tmpdir());
    snprintf(s->dir, sizeof s->dir, "%s/shared", s->top);
    snprintf(s->victim, sizeof s->victim, "%s/victim", s->top);
    if (chmod(s->top, 0755) != 0 || mkdir(s->dir, 0777) != 0 || chmod(s->dir, 01777) != 0)
        return -1;
    return write_text_file(s->victim, "root's secret\n") == 0 && chmod(s->victim, 0600) == 0 ? 0 : -1;
}

static int victim_unchanged(const struct shared *s)
{
    char *text = read_text_file(s->victim, 4096);
    int same = text != NULL && strcmp(text, "root's secret\n") == 0;
    free(text);
    return same;
}

static void spawnRefusesALinkAnotherUserPlantedForItsOutputs(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "    (not root: the other-user case needs root and nobody; not checked)\n");
        return;
    }
    struct shared s;
    CHECK(shared_setup(&s) == 0);
    char cmd[PATH_MAX * 2], out[300], pid[300];
    snprintf(out, sizeof out, "%s/out.log", s.dir);
    snprintf(pid, sizeof pid, "%s/app.pid", s.dir);
    snprintf(cmd, sizeof cmd, "ln -s %s %s && ln -s %s %s", s.victim, out, s.victim, pid);
    CHECK(as_nobody(cmd) == 0);

    const char *a1[] = {"spawn", "--stdout", out, "--", "sh", "-c", "echo overwritten", NULL};
    struct result r = run(NULL, a1);
    CHECK(r.code == EXIT_UNSAFE);
    CHECK(r.err != NULL && strstr(r.err, "out.log is a symbolic link") != NULL);
    done(&r);
    const char *a2[] = {"spawn", "--stderr", out, "--", "sh", "-c", "echo overwritten >&2", NULL};
    r = run(NULL, a2);
    CHECK(r.code == EXIT_UNSAFE);
    done(&r);
    /* Refused before the command starts: nothing runs that would then have no pid file. */
    const char *a3[] = {"spawn", "--pidfile", pid, "--", "sh", "-c", "exit 0", NULL};
    r = run(NULL, a3);
    CHECK(r.code == EXIT_UNSAFE);
    CHECK(r.out != NULL && r.out[0] == '\0');
    CHECK(r.err != NULL && strstr(r.err, "app.pid is a symbolic link") != NULL);
    done(&r);
    usleep(200 * 1000); /* a detached child that wrongly ran would have written by now */
    CHECK(victim_unchanged(&s));
}

static void spawnRefusesALinkOfOursThatLeadsThroughAnotherUsersLink(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "    (not root: the other-user case needs root and nobody; not checked)\n");
        return;
    }
    struct shared s;
    CHECK(shared_setup(&s) == 0);
    /* root's link top/mine -> shared/theirs, and nobody's shared/theirs -> a root-only folder. */
    char private_dir[200], theirs[300], mine[200], out[300], cmd[PATH_MAX];
    snprintf(private_dir, sizeof private_dir, "%s/root-only", s.top);
    snprintf(theirs, sizeof theirs, "%s/theirs", s.dir);
    snprintf(mine, sizeof mine, "%s/mine", s.top);
    CHECK(mkdir(private_dir, 0700) == 0 && symlink(theirs, mine) == 0);
    snprintf(cmd, sizeof cmd, "ln -s %s %s", private_dir, theirs);
    CHECK(as_nobody(cmd) == 0);
    snprintf(out, sizeof out, "%s/out.log", mine);
    const char *args[] = {"spawn", "--stdout", out, "--", "true", NULL};
    struct result r = run(NULL, args);
    CHECK(r.code == EXIT_UNSAFE);
    CHECK(r.err != NULL && strstr(r.err, "theirs is a symbolic link owned by uid 65534") != NULL);
    snprintf(out, sizeof out, "%s/out.log", private_dir);
    CHECK(access(out, F_OK) != 0); /* nothing was created where nobody pointed */
    done(&r);
}

static void spawnRefusesAFileAnotherUserOwnsOrAFolderOthersCanWrite(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "    (not root: the other-user case needs root and nobody; not checked)\n");
        return;
    }
    struct shared s;
    CHECK(shared_setup(&s) == 0);
    char cmd[PATH_MAX * 2], theirs[300], open_dir[200], in_open[300], mine[300];
    snprintf(theirs, sizeof theirs, "%s/theirs.log", s.dir);
    snprintf(cmd, sizeof cmd, "printf kept > %s", theirs);
    CHECK(as_nobody(cmd) == 0);
    const char *a1[] = {"spawn", "--pidfile", theirs, "--", "true", NULL};
    struct result r = run(NULL, a1);
    CHECK(r.code == EXIT_UNSAFE);
    CHECK(r.err != NULL && strstr(r.err, "belongs to uid 65534, another user") != NULL);
    done(&r);
    char *text = read_text_file(theirs, 64);
    CHECK(text != NULL && strcmp(text, "kept") == 0); /* not truncated, not written */
    free(text);

    /* A folder others can write that is not sticky: they could swap the file at any time. */
    snprintf(open_dir, sizeof open_dir, "%s/open", s.top);
    CHECK(mkdir(open_dir, 0700) == 0 && chmod(open_dir, 0777) == 0);
    snprintf(in_open, sizeof in_open, "%s/out.log", open_dir);
    const char *a2[] = {"spawn", "--stdout", in_open, "--", "true", NULL};
    r = run(NULL, a2);
    CHECK(r.code == EXIT_UNSAFE);
    CHECK(r.err != NULL && strstr(r.err, "another user can change what is in it") != NULL);
    done(&r);

    /* A new file in the sticky folder is fine: created by us, 0600, with O_EXCL. */
    snprintf(mine, sizeof mine, "%s/mine.pid", s.dir);
    const char *a3[] = {"spawn", "--pidfile", mine, "--stdout", in_open + 0, "--", "true", NULL};
    a3[4] = "/dev/null";
    r = run(NULL, a3);
    CHECK(r.code == 0);
    struct stat st;
    CHECK(lstat(mine, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600 && st.st_uid == 0);
    done(&r);
}

/* A checkpoint (with the fake CRIU) into a folder under one everyone may traverse. */
static int fake_checkpoint(struct fake *f, struct shared *s, struct result *r)
{
    if (fake_setup(f, NULL) != 0 || shared_setup(s) != 0)
        return -1;
    snprintf(f->dir, sizeof f->dir, "%s/ck", s->top);
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)f->child);
    const char *args[] = {"checkpoint", "--pid", pid, "--dir", f->dir, NULL};
    *r = run_env(f->env, args);
    return r->code == 0 ? 0 : -1;
}

static void checkpointImagesArePrivateToTheCaller(void)
{
    if (!root_past_the_criu_gate())
        return;
    struct fake f;
    struct shared s;
    struct result r;
    int ok = fake_checkpoint(&f, &s, &r) == 0;
    fake_teardown(&f);
    if (!ok)
        fprintf(stderr, "    stderr: %s", r.err ? r.err : "");
    CHECK(ok);
    done(&r);
    struct stat st;
    char pages[PATH_MAX + 16], meta[PATH_MAX + 32], cmd[PATH_MAX + 32];
    snprintf(pages, sizeof pages, "%s/pages-1.img", f.dir);
    snprintf(meta, sizeof meta, "%s/lp4j-checkpoint.txt", f.dir);
    CHECK(stat(f.dir, &st) == 0 && (st.st_mode & 0777) == 0700);
    CHECK(stat(pages, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(stat(meta, &st) == 0 && (st.st_mode & 0777) == 0600);
    snprintf(cmd, sizeof cmd, "cat %s >/dev/null", pages);
    CHECK(as_nobody(cmd) != 0);
}

static void checkpointRefusesAnImageFolderAnotherUserOwnsOrCanWrite(void)
{
    if (!root_past_the_criu_gate())
        return;
    struct fake f;
    struct shared s;
    CHECK(fake_setup(&f, NULL) == 0);
    int set = shared_setup(&s) == 0;
    char pid[16], theirs[PATH_MAX + 16], cmd[PATH_MAX * 2], group[PATH_MAX + 16];
    snprintf(pid, sizeof pid, "%d", (int)f.child);
    snprintf(theirs, sizeof theirs, "%s/theirs", s.dir);
    snprintf(cmd, sizeof cmd, "mkdir -m 0700 %s", theirs);
    set = set && as_nobody(cmd) == 0;
    snprintf(group, sizeof group, "%s/group", s.top);
    set = set && mkdir(group, 0700) == 0 && chmod(group, 0770) == 0;
    const char *a1[] = {"checkpoint", "--pid", pid, "--dir", theirs, NULL};
    struct result r1 = run_env(f.env, a1);
    const char *a2[] = {"checkpoint", "--pid", pid, "--dir", group, NULL};
    struct result r2 = run_env(f.env, a2);
    char *calls = read_text_file(f.calls, 1 << 16);
    fake_teardown(&f);
    CHECK(set);
    CHECK(r1.code == EXIT_UNSAFE);
    CHECK(r1.err != NULL && strstr(r1.err, "is owned by uid 65534") != NULL);
    CHECK(r2.code == EXIT_UNSAFE);
    CHECK(r2.err != NULL && strstr(r2.err, "mode 770") != NULL);
    CHECK(calls == NULL || strstr(calls, "dump") == NULL); /* CRIU never ran */
    free(calls);
    done(&r1);
    done(&r2);
}

static void restoreRefusesImagesAnotherUserCouldHaveWritten(void)
{
    if (!root_past_the_criu_gate())
        return;
    struct fake f;
    struct shared s;
    struct result r;
    int ok = fake_checkpoint(&f, &s, &r) == 0;
    fake_teardown(&f);
    CHECK(ok);
    done(&r);
    char file[PATH_MAX + 32], moved[PATH_MAX + 32];
    snprintf(file, sizeof file, "%s/pages-1.img", f.dir);
    const char *rs[] = {"restore", "--dir", f.dir, "--pid-wait", "0", NULL};

    CHECK(chown(file, 65534, 65534) == 0); /* a file of another user */
    r = run_env(f.env, rs);
    CHECK(r.code == EXIT_UNSAFE);
    CHECK(r.err != NULL && strstr(r.err, "pages-1.img belongs to uid 65534") != NULL);
    done(&r);

    CHECK(chown(file, 0, 0) == 0 && chmod(file, 0620) == 0); /* group-writable */
    r = run_env(f.env, rs);
    CHECK(r.code == EXIT_UNSAFE);
    CHECK(r.err != NULL && strstr(r.err, "can be written by others") != NULL);
    done(&r);

    CHECK(chmod(file, 0600) == 0 && chmod(f.dir, 0777) == 0); /* the folder itself */
    r = run_env(f.env, rs);
    CHECK(r.code == EXIT_UNSAFE);
    done(&r);

    CHECK(chmod(f.dir, 0700) == 0); /* a link in place of an image */
    snprintf(moved, sizeof moved, "%s/pages-1.moved", s.top);
    CHECK(rename(file, moved) == 0 && symlink(moved, file) == 0);
    r = run_env(f.env, rs);
    CHECK(r.code == EXIT_UNSAFE);
    CHECK(r.err != NULL && strstr(r.err, "is a symbolic link") != NULL);
    done(&r);

    CHECK(unlink(file) == 0 && rename(moved, file) == 0); /* as written: restores */
    r = run_env(f.env, rs);
    CHECK(r.code == 0);
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
    T(preDumpsChainIntoTheFinalDump),
    T(restoreWaitsForNoOneButRefusesALiveOwnerThenRestores),
    T(lazyRestoreIsRefusedWhereTheKernelHasNoUserfaultfd),
    T(aRefusedDumpQuotesCriuAndSaysTheProcessRuns),
    T(theGateNamesAnOldCriuAndAKernelItRefuses),
    T(spawnRefusesALinkAnotherUserPlantedForItsOutputs),
    T(spawnRefusesALinkOfOursThatLeadsThroughAnotherUsersLink),
    T(spawnRefusesAFileAnotherUserOwnsOrAFolderOthersCanWrite),
    T(checkpointImagesArePrivateToTheCaller),
    T(checkpointRefusesAnImageFolderAnotherUserOwnsOrCanWrite),
    T(restoreRefusesImagesAnotherUserCouldHaveWritten),
    {NULL, NULL},
};
