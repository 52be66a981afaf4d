/* Running CRIU and reading its output; see criu.h. */
#define _GNU_SOURCE
#include "criu.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char prefix_loader[PATH_MAX], prefix_libdir[PATH_MAX], prefix_criu[PATH_MAX];

/* The private prefix wins when it is complete; then LP4J_CRIU; then criu on PATH. */
static const char *criu_prefix(void)
{
    const char *p = getenv("LP4J_CRIU_PREFIX");
    return p != NULL && *p != '\0' ? p : CRIU_DEFAULT_PREFIX;
}

static int use_prefix(void)
{
    const char *explicit = getenv("LP4J_CRIU");
    if (explicit != NULL && *explicit != '\0')
        return 0;
    const char *p = criu_prefix();
    snprintf(prefix_loader, sizeof prefix_loader, "%s/usr/lib64/ld-linux-x86-64.so.2", p);
    snprintf(prefix_libdir, sizeof prefix_libdir, "%s/usr/lib/x86_64-linux-gnu", p);
    snprintf(prefix_criu, sizeof prefix_criu, "%s/usr/sbin/criu", p);
    return access(prefix_loader, X_OK) == 0 && access(prefix_criu, R_OK) == 0;
}

const char *criu_describe(void)
{
    static char text[PATH_MAX + 32];
    if (use_prefix())
        snprintf(text, sizeof text, "%s/bin/criu", criu_prefix());
    else {
        const char *explicit = getenv("LP4J_CRIU");
        snprintf(text, sizeof text, "%s", explicit != NULL && *explicit ? explicit : "criu (from PATH)");
    }
    return text;
}

void criu_argv_init(struct criu_argv *a)
{
    a->argc = 0;
    if (use_prefix()) {
        /* The prefix's glibc is newer than the system's: its own loader must run criu. */
        criu_arg(a, prefix_loader);
        criu_arg(a, "--library-path");
        criu_arg(a, prefix_libdir);
        criu_arg(a, prefix_criu);
    } else {
        const char *explicit = getenv("LP4J_CRIU");
        criu_arg(a, explicit != NULL && *explicit ? explicit : "criu");
    }
}

void criu_arg(struct criu_argv *a, const char *arg)
{
    if (a->argc < (int)(sizeof a->argv / sizeof a->argv[0]) - 1) {
        a->argv[a->argc++] = arg;
        a->argv[a->argc] = NULL;
    }
}

int criu_run(struct criu_argv *a, const char *out_path)
{
    /* out_path is in a folder only we can change (the private image folder, or mkstemp's file
     * in /tmp); O_NOFOLLOW all the same. */
    int out = out_path != NULL ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600)
                               : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (out < 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, out, 2);
    pid_t pid;
    /* CRIU writes the image files itself, with modes of its own under our umask: 077 makes
     * them 0600 and its folders 0700 from the start (checkpoint checks them afterwards too). */
    mode_t old_umask = umask(077);
    int rc = posix_spawnp(&pid, a->argv[0], &fa, NULL, (char *const *)a->argv, environ);
    umask(old_umask);
    posix_spawn_file_actions_destroy(&fa);
    close(out);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

/* Runs criu with up to three arguments and returns its output (malloc'd) and exit status. */
static char *criu_capture(const char *a1, const char *a2, const char *a3, int *status)
{
    char tmp[] = "/tmp/lp4j-criu-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) {
        *status = -1;
        return NULL;
    }
    close(fd);
    struct criu_argv a;
    criu_argv_init(&a);
    criu_arg(&a, a1);
    if (a2 != NULL)
        criu_arg(&a, a2);
    if (a3 != NULL)
        criu_arg(&a, a3);
    *status = criu_run(&a, tmp);
    char *text = read_text_file(tmp, 1 << 20);
    unlink(tmp);
    return text;
}

int criu_parse_version(const char *text, int *major, int *minor)
{
    const char *v = text != NULL ? strstr(text, "Version:") : NULL;
    if (v == NULL)
        return -1;
    return sscanf(v, "Version: %d.%d", major, minor) == 2 ? 0 : -1;
}

enum criu_gate criu_gate(char *why, size_t whylen)
{
    if (geteuid() != 0) {
        snprintf(why, whylen, "checkpoint/restore needs root (CRIU reads and writes other processes' memory, "
                 "sockets and namespaces); this runs as uid %d. Run it as root, e.g. with sudo.", (int)geteuid());
        return CRIU_NOT_ROOT;
    }
    int status;
    char *out = criu_capture("--version", NULL, NULL, &status);
    int major, minor;
    if (status != 0 || criu_parse_version(out, &major, &minor) != 0) {
        snprintf(why, whylen, "CRIU is not installed or does not run (tried %s). "
                 "Install it with native/install-criu.sh, or set LP4J_CRIU to a criu >= %d.%d.",
                 criu_describe(), CRIU_MIN_MAJOR, CRIU_MIN_MINOR);
        free(out);
        return CRIU_NOT_INSTALLED;
    }
    free(out);
    if (major < CRIU_MIN_MAJOR || (major == CRIU_MIN_MAJOR && minor < CRIU_MIN_MINOR)) {
        snprintf(why, whylen, "%s is CRIU %d.%d; this needs >= %d.%d (older ones fail on the vDSO layout "
                 "of kernels >= 6.12 and on TCP sockets of kernels >= 6.16). Run native/install-criu.sh.",
                 criu_describe(), major, minor, CRIU_MIN_MAJOR, CRIU_MIN_MINOR);
        return CRIU_TOO_OLD;
    }
    out = criu_capture("check", NULL, NULL, &status);
    if (status != 0) {
        char first[300];
        criu_first_error(out, first, sizeof first);
        snprintf(why, whylen, "'criu check' says this kernel cannot checkpoint: %s. "
                 "The kernel needs CONFIG_CHECKPOINT_RESTORE and friends (see criu.org/Linux_kernel); "
                 "inside a container, it needs CAP_SYS_ADMIN and an unmasked /proc.",
                 first[0] ? first : "(no error line; run it by hand to see its output)");
        free(out);
        return CRIU_CHECK_FAILED;
    }
    free(out);
    snprintf(why, whylen, "CRIU %d.%d at %s, 'criu check' passes", major, minor, criu_describe());
    return CRIU_OK;
}

const char *criu_network_lock(void)
{
    const char *v = getenv("LP4J_CRIU_NETWORK_LOCK");
    return v != NULL && *v != '\0' ? v : "nftables";
}

int criu_has_feature(const char *name)
{
    int status;
    free(criu_capture("check", "--feature", name, &status));
    return status == 0;
}

int criu_has_lazy_pages(void)
{
    return criu_has_feature("uffd") && criu_has_feature("uffd-noncoop");
}

/* Sets *v to the number after "label" in text; returns 1 if found. */
static int number_after(const char *text, const char *label, double *v)
{
    const char *p = strstr(text, label);
    if (p == NULL)
        return 0;
    return sscanf(p + strlen(label), " %lf", v) == 1;
}

void criu_parse_stats(const char *text, struct criu_stats *s)
{
    memset(s, 0, sizeof *s);
    if (text == NULL)
        return;
    double v;
    if (number_after(text, "Freezing time:", &v))
        s->freezing_us = v;
    if (number_after(text, "Frozen time:", &v)) {
        s->frozen_us = v;
        s->have_frozen = 1;
    }
    if (number_after(text, "Memory dump time:", &v))
        s->memdump_us = v;
    if (number_after(text, "Memory write time:", &v))
        s->memwrite_us = v;
    if (number_after(text, "Memory pages scanned:", &v))
        s->pages_scanned = (uint64_t)v;
    if (number_after(text, "Memory pages skipped from parent:", &v))
        s->pages_skipped_parent = (uint64_t)v;
    if (number_after(text, "Memory pages written:", &v))
        s->pages_written = (uint64_t)v;
    if (number_after(text, "Pages restored:", &v))
        s->pages_restored = (uint64_t)v;
    if (number_after(text, "Restore time:", &v)) {
        s->restore_us = v;
        s->have_restore = 1;
    }
}

/* Known CRIU failures, matched on the log text, with what a person should do. */
static const struct {
    const char *needle, *advice;
} KNOWN[] = {
    {"consider using --tcp-established",
     "the process has established TCP connections; pass --tcp-established (the same flag is then "
     "needed on restore, and the peers must still be there), or close the connections first"},
    {"Can't get 1:16 opt",
     "this CRIU predates kernel 6.16's socket-option change (criu #2718); install CRIU >= 4.2 with "
     "native/install-criu.sh"},
    {"Unexpected rt vDSO area bounds",
     "this CRIU predates the kernel's [vvar_vclock] mapping (criu #2532); install CRIU >= 4.1 with "
     "native/install-criu.sh"},
    {"hsperfdata",
     "the JVM's perf-data file (/tmp/hsperfdata_USER/PID) is gone: a JVM started after the "
     "checkpoint deletes files of PIDs it finds dead. Start checkpointed JVMs with "
     "-XX:+PerfDisableSharedMem (or -XX:-UsePerfData)"},
    {"Can't fork for",
     "a PID the checkpoint needs is taken; stop the process holding it (or wait until the dumped "
     "process has been reaped) and restore again"},
    {"criu/tty.c", "the process has a terminal; start it with 'lp4j-native spawn' (own session, no "
     "terminal), or pass --shell-job to criu by hand"},
    {"criu/sk-unix.c", "the process has a UNIX socket whose peer is outside the dumped tree; "
     "start it with 'lp4j-native spawn' so it inherits no sockets"},
    {"Dirty tracking is OFF",
     "pre-dumps need the kernel's soft-dirty page tracking (CONFIG_MEM_SOFT_DIRTY); dump without "
     "--pre-dump on this kernel"},
    {"Iptables configuration failed",
     "CRIU locks TCP connections with iptables, which is missing; use the nftables lock "
     "(LP4J_CRIU_NETWORK_LOCK=nftables, the default) or install iptables"},
    {"No such process", "the process exited before or during the checkpoint"},
    {"has bad size", "a file the process had open changed size after the checkpoint; restore "
     "needs the files as they were at the checkpoint"},
};

const char *criu_explain(const char *log)
{
    if (log == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
        if (strstr(log, KNOWN[i].needle) != NULL)
            return KNOWN[i].advice;
    return NULL;
}

void criu_first_error(const char *log, char *out, size_t outlen)
{
    out[0] = '\0';
    for (const char *line = log; line != NULL && *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        const char *err = memmem(line, len, "Error", 5);
        /* RLIMIT_NOFILE: CRIU can't raise its own fd limit in some sandboxes; harmless. */
        if (err != NULL && memmem(line, len, "RLIMIT_NOFILE", 13) == NULL) {
            size_t n = len - (size_t)(err - line);
            if (n >= outlen)
                n = outlen - 1;
            memcpy(out, err, n);
            out[n] = '\0';
            return;
        }
        line = end != NULL ? end + 1 : NULL;
    }
}

void criu_report_log(const char *cmd, const char *what, const char *logpath)
{
    char *text = read_text_file(logpath, 64 << 20);
    char first[400];
    criu_first_error(text, first, sizeof first);
    free(text);
    lp_err(cmd, "%s: %s", what, first[0] ? first : "(no error line in its log)");
    fprintf(stderr, "  CRIU's log: %s\n", logpath);
}
