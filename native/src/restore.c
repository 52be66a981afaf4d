/* `lp4j-native restore`; see restore.h. */
#define _GNU_SOURCE
#include "restore.h"
#include "checkpoint.h"
#include "criu.h"
#include "files.h"
#include "util.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMD "restore"
#define MAX_TIDS 4096

int checkpoint_tids(const char *dir, pid_t *tids, int max)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        pid_t tid = core_image_tid(e->d_name);
        if (tid > 0)
            tids[n++] = tid;
    }
    closedir(d);
    return n;
}

pid_t core_image_tid(const char *name)
{
    int tid;
    char tail[8];
    if (sscanf(name, "core-%d%7s", &tid, tail) == 2 && strcmp(tail, ".img") == 0 && tid > 0)
        return (pid_t)tid;
    return 0;
}

pid_t stat_ppid(const char *stat)
{
    const char *close = stat != NULL ? strrchr(stat, ')') : NULL;
    int ppid = 0;
    if (close == NULL || sscanf(close + 1, " %*c %d", &ppid) != 1 || ppid < 0)
        ppid = 0;
    return (pid_t)ppid;
}

pid_t status_tgid(const char *status)
{
    const char *line = status != NULL ? strstr(status, "\nTgid:") : NULL;
    int tgid = 0;
    if (line == NULL || sscanf(line, "\nTgid: %d", &tgid) != 1 || tgid < 0)
        tgid = 0;
    return (pid_t)tgid;
}

pid_t first_taken(const pid_t *tids, int n)
{
    for (int i = 0; i < n; i++)
        if (pid_exists(tids[i], NULL, NULL, 0))
            return tids[i];
    return 0;
}

int meta_value(const char *text, const char *key, char *out, size_t outlen)
{
    size_t klen = strlen(key);
    for (const char *line = text; line != NULL && *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == '=') {
            size_t n = len - klen - 1;
            if (n >= outlen)
                n = outlen - 1;
            memcpy(out, line + klen + 1, n);
            out[n] = '\0';
            return 0;
        }
        line = end != NULL ? end + 1 : NULL;
    }
    return -1;
}

/* The process (thread group) a thread id belongs to, from /proc/TID/status; tid if unknown. */
static pid_t process_of(pid_t tid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
    char *status = read_text_file(path, 1 << 16);
    pid_t tgid = status_tgid(status);
    free(status);
    return tgid > 0 ? tgid : tid;
}

static int cmp_pid(const void *a, const void *b)
{
    pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
    return (x > y) - (x < y);
}

static pid_t parent_of(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *stat = read_text_file(path, 4096);
    pid_t ppid = stat_ppid(stat);
    free(stat);
    return ppid;
}

/* Waits up to wait_s for the checkpoint's ids to be free. A dumped process that nobody has
 * reaped yet is a zombie holding its PID (seen here: an init that reaps orphans only every
 * second or two), which is worth waiting for; a live process is not. */
static int ids_free(const char *dir, long wait_s)
{
    pid_t tids[MAX_TIDS];
    int n = checkpoint_tids(dir, tids, MAX_TIDS);
    if (n <= 0)
        return 1; /* nothing to check; CRIU will say what is wrong */
    qsort(tids, (size_t)n, sizeof tids[0], cmp_pid); /* a process's main thread first */
    uint64_t deadline = now_ns() + (uint64_t)wait_s * 1000000000u;
    for (;;) {
        pid_t taken = first_taken(tids, n);
        if (taken == 0)
            return 1;
        char state, comm[64];
        if (!pid_exists(taken, &state, comm, sizeof comm))
            continue; /* freed between the two looks */
        if (state == 'Z' && now_ns() < deadline) {
            usleep(50 * 1000);
            continue;
        }
        if (state == 'Z') {
            pid_t parent = parent_of(taken);
            char pcomm[64] = "?";
            pid_exists(parent, NULL, pcomm, sizeof pcomm);
            lp_err(CMD, "pid %d, which the checkpoint in %s needs back, is still held by a zombie of '%s' "
                   "after %ld s: its parent, pid %d ('%s'), has not reaped it", (int)taken, dir, comm, wait_s,
                   (int)parent, pcomm);
            lp_hint("make the parent wait() for its dead child (or end the parent), then restore again; "
                    "--pid-wait SECONDS waits longer");
        } else {
            pid_t owner = process_of(taken);
            char owner_comm[64] = "?";
            pid_exists(owner, NULL, owner_comm, sizeof owner_comm);
            if (owner == taken)
                lp_err(CMD, "pid %d, which the checkpoint in %s needs back, is taken by a running process '%s' "
                       "(state %c); CRIU restores every process and thread under its old id", (int)taken, dir,
                       comm, state);
            else
                lp_err(CMD, "pid %d, which the checkpoint in %s needs back, is taken by thread '%s' of the running "
                       "process %d ('%s'); CRIU restores every process and thread under its old id", (int)taken,
                       dir, comm, (int)owner, owner_comm);
            lp_hint("if that is the checkpointed process itself (checkpoint --leave-running), stop it first "
                    "(kill %d, and wait until it is gone), then restore again; otherwise restore once it has exited",
                    (int)owner);
        }
        return 0;
    }
}

static int usage(void)
{
    fputs("usage: lp4j-native restore --dir DIR [--pid-wait SECONDS] [--tcp-established] [--lazy-pages]\n"
          "  restores the checkpoint in DIR as a detached process and prints its pid; waits up to\n"
          "  --pid-wait seconds (default 10) for the dumped process to be reaped. --lazy-pages: the\n"
          "  process runs before its memory is back; a detached criu lazy-pages daemon copies each page\n"
          "  in when it is first touched (userfaultfd), and the rest in the background.\n",
          stderr);
    return EXIT_USAGE;
}

int restore_parse(int argc, char **argv, struct restore_opts *o)
{
    o->dir = NULL;
    o->wait_s = 10;
    o->tcp = 0;
    o->lazy = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tcp-established") == 0)
            o->tcp = 1;
        else if (strcmp(argv[i], "--lazy-pages") == 0)
            o->lazy = 1;
        else if (i + 1 < argc && strcmp(argv[i], "--dir") == 0)
            o->dir = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--pid-wait") == 0) {
            if (parse_long(argv[++i], 0, 3600, &o->wait_s) != 0) {
                lp_err(CMD, "--pid-wait wants seconds from 0 to 3600, got '%s'", argv[i]);
                return -1;
            }
        } else {
            lp_err(CMD, "unknown or incomplete option '%s'", argv[i]);
            return -1;
        }
    }
    if (o->dir == NULL) {
        lp_err(CMD, "--dir is required");
        return -1;
    }
    return 0;
}

/* The lazy-pages daemon: `criu lazy-pages` serves the restored process's pages from the images
 * through userfaultfd, first those it touches, then the rest, and exits once every page is in.
 * It must outlive this command, so a supervisor runs it in a session of its own, waits for it
 * and then removes its work folder (which holds its socket: kept out of the image folder, where
 * restore accepts only regular files). Returns the supervisor's pid, or -1 after saying why. */
static pid_t start_lazy_daemon(const char *dir, const char *work)
{
    char log[PATH_MAX + 32], socket_path[PATH_MAX + 32];
    snprintf(log, sizeof log, "%s/lazy-pages.log", dir);
    snprintf(socket_path, sizeof socket_path, "%s/lazy-pages.socket", work);
    struct criu_argv a;
    criu_argv_init(&a);
    criu_arg(&a, "lazy-pages");
    criu_arg(&a, "-D");
    criu_arg(&a, dir);
    criu_arg(&a, "-W");
    criu_arg(&a, work);
    criu_arg(&a, "-o");
    criu_arg(&a, log);
    pid_t sup = fork();
    if (sup < 0) {
        lp_err(CMD, "cannot start the lazy-pages daemon: %s", strerror(errno));
        return -1;
    }
    if (sup == 0) {
        setsid();
        umask(077);
        signal(SIGTERM, SIG_IGN); /* kill(-sup, SIGTERM) ends the daemon; the supervisor still cleans up */
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        for (int fd = 3; fd < 1024; fd++)
            if (fd != null)
                close(fd);
        pid_t d = fork();
        if (d == 0) {
            signal(SIGTERM, SIG_DFL);
            execvp(a.argv[0], (char *const *)a.argv);
            _exit(127);
        }
        int status = 0;
        if (d > 0)
            while (waitpid(d, &status, 0) < 0 && errno == EINTR)
                ;
        unlink(socket_path);
        char stats[PATH_MAX + 32];
        snprintf(stats, sizeof stats, "%s/stats-restore", work);
        unlink(stats);
        rmdir(work);
        _exit(d > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 1);
    }
    /* criu restore connects to the socket: wait until the daemon listens, or has died. */
    struct stat st;
    for (int i = 0; i < 1000; i++) {
        if (stat(socket_path, &st) == 0 && S_ISSOCK(st.st_mode))
            return sup;
        int status;
        if (waitpid(sup, &status, WNOHANG) == sup) {
            criu_report_log(CMD, "the lazy-pages daemon ended before it listened", log);
            return -1;
        }
        usleep(10 * 1000);
    }
    kill(-sup, SIGTERM);
    lp_err(CMD, "the lazy-pages daemon did not open its socket %s within 10 s; see %s", socket_path, log);
    return -1;
}

int cmd_restore(int argc, char **argv)
{
    struct restore_opts o;
    if (restore_parse(argc, argv, &o) != 0)
        return usage();
    const char *dir = o.dir;
    long wait_s = o.wait_s;
    int tcp = o.tcp;

    /* CRIU restores credentials, memory and files from the images: only ones nobody else
     * could have written are restored (files.h). CRIU gets the path without links. */
    char path[PATH_MAX], why[1024], shown[PATH_MAX], logpath[PATH_MAX + 32];
    snprintf(shown, sizeof shown, "%s", dir);
    int dirfd = files_open_trusted_dir(shown, path, sizeof path, why, sizeof why);
    if (dirfd < 0) {
        lp_err(CMD, "%s", why);
        return dirfd == FILES_REFUSED ? EXIT_UNSAFE : EXIT_FAILED;
    }
    static char canon[PATH_MAX];
    snprintf(canon, sizeof canon, "%s", path);
    int rfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    close(dirfd);
    int checked = rfd >= 0 ? files_check_private(rfd, shown, why, sizeof why) : FILES_ERROR;
    if (checked != 0) {
        if (rfd < 0)
            snprintf(why, sizeof why, "cannot open %.900s: %s", shown, strerror(errno));
        lp_err(CMD, "%s", why);
        if (rfd >= 0)
            close(rfd);
        return checked == FILES_REFUSED ? EXIT_UNSAFE : EXIT_FAILED;
    }
    dir = canon;
    if (faccessat(rfd, "inventory.img", R_OK, AT_SYMLINK_NOFOLLOW) != 0) {
        lp_err(CMD, "%s holds no checkpoint (no readable inventory.img)", shown);
        lp_hint("give the --dir that 'lp4j-native checkpoint' wrote");
        close(rfd);
        return EXIT_FAILED;
    }
    char *meta = files_read_in(rfd, CHECKPOINT_META, 1 << 16);
    close(rfd);
    char value[64];
    static char lock[64];
    snprintf(lock, sizeof lock, "%s", criu_network_lock());
    if (meta != NULL && meta_value(meta, "tcp_established", value, sizeof value) == 0 && strcmp(value, "1") == 0)
        tcp = 1; /* CRIU refuses to restore such images without the flag */
    if (meta != NULL && meta_value(meta, "network_lock", value, sizeof value) == 0 && strcmp(value, "none") != 0)
        snprintf(lock, sizeof lock, "%s", value); /* unlock the way the dump locked */
    free(meta);

    if (criu_gate(why, sizeof why) != CRIU_OK) {
        lp_err(CMD, "restoring is unavailable here: %s", why);
        return EXIT_UNAVAILABLE;
    }
    if (o.lazy && !criu_has_lazy_pages()) {
        lp_err(CMD, "lazy restore is unavailable here: it needs the kernel's userfaultfd with its non-cooperative "
               "events ('criu check --feature uffd-noncoop' fails: a kernel without CONFIG_USERFAULTFD, or one that "
               "forbids it to this process)");
        lp_hint("restore without --lazy-pages (every page is copied in before the process runs)");
        return EXIT_UNAVAILABLE;
    }
    if (!ids_free(dir, wait_s))
        return EXIT_CONFLICT;
    char work[] = "/tmp/lp4j-lazy.XXXXXX";
    pid_t daemon = 0;
    if (o.lazy) {
        if (mkdtemp(work) == NULL) {
            lp_err(CMD, "cannot make a work folder for the lazy-pages daemon in /tmp: %s", strerror(errno));
            return EXIT_FAILED;
        }
        daemon = start_lazy_daemon(dir, work);
        if (daemon < 0) {
            rmdir(work);
            return EXIT_FAILED;
        }
    }

    char pidfile[PATH_MAX + 32], out[PATH_MAX + 32];
    snprintf(pidfile, sizeof pidfile, "%s/restore.pid", dir);
    snprintf(out, sizeof out, "%s/restore.out", dir);
    unlink(pidfile);
    struct criu_argv a;
    criu_argv_init(&a);
    char restore_log[PATH_MAX + 32];
    snprintf(restore_log, sizeof restore_log, "%s/restore.log", dir);
    criu_arg(&a, "restore");
    criu_arg(&a, "-D");
    criu_arg(&a, dir);
    criu_arg(&a, "-o");
    criu_arg(&a, restore_log);
    if (o.lazy) {
        criu_arg(&a, "-W"); /* where the daemon's socket is */
        criu_arg(&a, work);
        criu_arg(&a, "--lazy-pages");
    }
    criu_arg(&a, "--restore-detached");
    criu_arg(&a, "--pidfile");
    criu_arg(&a, pidfile);
    criu_arg(&a, "--display-stats");
    if (tcp) {
        criu_arg(&a, "--tcp-established");
        criu_arg(&a, "--network-lock");
        criu_arg(&a, lock);
    }

    uint64_t t0 = now_ns();
    int rc = criu_run(&a, out);
    double ms = (double)(now_ns() - t0) / 1e6;
    if (rc != 0) {
        snprintf(logpath, sizeof logpath, "%s/restore.log", dir);
        char *log = read_text_file(logpath, 64 << 20);
        char first[400];
        criu_first_error(log, first, sizeof first);
        lp_err(CMD, "CRIU restore from %s failed: %s", dir, rc < 0 ? strerror(errno) : first[0] ? first : "(no error line in the log)");
        const char *advice = criu_explain(log);
        if (advice != NULL)
            lp_hint("%s", advice);
        fprintf(stderr, "  CRIU's log: %s\n", logpath);
        int conflict = log != NULL && strstr(log, "Can't fork for") != NULL;
        free(log);
        if (daemon > 0)
            kill(-daemon, SIGTERM); /* nothing to serve: the supervisor removes its folder */
        return conflict ? EXIT_CONFLICT : EXIT_FAILED;
    }
    char *text = read_text_file(pidfile, 64);
    long pid = 0;
    if (text == NULL || parse_long(strtok(text, "\n"), 1, INT_MAX, &pid) != 0)
        lp_warn(CMD, "CRIU restored the checkpoint but wrote no pid to %s", pidfile);
    free(text);
    text = read_text_file(out, 1 << 20);
    struct criu_stats st;
    criu_parse_stats(text, &st);
    free(text);
    printf("pid=%ld\nrestore_ms=%.1f\n", pid, ms);
    if (st.have_restore)
        printf("criu_restore_ms=%.1f\n", st.restore_us / 1000);
    printf("pages_restored=%llu\n", (unsigned long long)st.pages_restored);
    if (o.lazy)
        printf("lazy_pages=yes\nlazy_daemon_pid=%d\n", (int)daemon);
    return EXIT_OK;
}
