/* `lp4j-native checkpoint`. The images go to DIR; with --pre-dump N, pre-dump k goes to
 * DIR/pre-k and the final dump in DIR links to DIR/pre-N, so `restore --dir DIR` needs to
 * know nothing about pre-dumps. A failed dump leaves the process as it was: CRIU resumes
 * (never kills) the tasks when it cannot finish, and we check and say so. */
#define _GNU_SOURCE
#include "checkpoint.h"
#include "criu.h"
#include "files.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CMD "checkpoint"
#define MAX_PRE_DUMPS 16

static int usage(void)
{
    fputs("usage: lp4j-native checkpoint --pid PID --dir DIR [--leave-running] [--pre-dump N] [--tcp-established]\n"
          "                              [--page-server HOST:PORT]\n"
          "  dumps process PID (and its children) into DIR with CRIU; without --leave-running the\n"
          "  process is stopped after the dump, ready for 'lp4j-native restore --dir DIR'.\n"
          "  --page-server: the memory pages go to 'lp4j-native page-server' at HOST:PORT, the rest to\n"
          "  DIR; copy DIR into the page server's folder and restore from there.\n",
          stderr);
    return EXIT_USAGE;
}

int checkpoint_parse(int argc, char **argv, struct checkpoint_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--leave-running") == 0)
            o->leave_running = 1;
        else if (strcmp(a, "--check") == 0)
            o->check = 1;
        else if (strcmp(a, "--tcp-established") == 0)
            o->tcp_established = 1;
        else if (i + 1 < argc && strcmp(a, "--pid") == 0) {
            if (parse_long(argv[++i], 1, INT_MAX, &o->pid) != 0) {
                lp_err(CMD, "--pid wants a process id, got '%s'", argv[i]);
                return -1;
            }
        } else if (i + 1 < argc && strcmp(a, "--dir") == 0)
            o->dir = argv[++i];
        else if (i + 1 < argc && strcmp(a, "--page-server") == 0) {
            static char host[256];
            if (parse_host_port(argv[++i], host, sizeof host, o->ps_port, sizeof o->ps_port) != 0) {
                lp_err(CMD, "--page-server wants HOST:PORT (a port from 1 to 65535), got '%s'", argv[i]);
                return -1;
            }
            o->ps_host = host;
        }
        else if (i + 1 < argc && strcmp(a, "--pre-dump") == 0) {
            if (parse_long(argv[++i], 0, MAX_PRE_DUMPS, &o->pre_dumps) != 0) {
                lp_err(CMD, "--pre-dump wants a count from 0 to %d, got '%s'", MAX_PRE_DUMPS, argv[i]);
                return -1;
            }
        } else {
            lp_err(CMD, "unknown or incomplete option '%s'", a);
            return -1;
        }
    }
    if (o->pid == 0 || o->dir == NULL) {
        lp_err(CMD, "--pid and --dir are required");
        return -1;
    }
    if (o->ps_host != NULL && o->pre_dumps > 0) {
        lp_err(CMD, "--page-server and --pre-dump cannot be combined here: each pre-dump would need the page "
               "server's folder as its parent");
        return -1;
    }
    return 0;
}

long tcp_port_listened_by_other(const char *text, unsigned port, long self_uid)
{
    for (const char *line = text; line != NULL && *line;) {
        unsigned lport, st;
        long uid;
        /* "  0: 0100007F:6A2A 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 ..." */
        if (sscanf(line, " %*d: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x %*x:%*x %*x:%*x %*x %ld", &lport, &st, &uid) == 3
            && st == 0x0A && lport == port && uid != 0 && uid != self_uid)
            return uid;
        const char *nl = strchr(line, '\n');
        line = nl != NULL ? nl + 1 : NULL;
    }
    return -1;
}

/* Refuses a page server port another local user listens on: they would receive the pages. */
static int page_server_port_is_ours(const struct checkpoint_opts *o)
{
    static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    for (int t = 0; t < 2; t++) {
        char *text = read_text_file(tables[t], 64 << 20);
        long uid = tcp_port_listened_by_other(text, (unsigned)atoi(o->ps_port), (long)geteuid());
        free(text);
        if (uid >= 0) {
            lp_err(CMD, "TCP port %s on this machine is listened on by uid %ld, not by you or root: another user "
                   "could be collecting the checkpoint's pages (the whole memory of process %ld); refused",
                   o->ps_port, uid, o->pid);
            lp_hint("start 'lp4j-native page-server' first and give its port; on a machine shared with other users, "
                    "send the pages to another host over a tunnel (docs/checkpoint.md)");
            return 0;
        }
    }
    return 1;
}

int parse_host_port(const char *text, char *hostbuf, size_t hostlen, char *port, size_t portlen)
{
    const char *colon = strrchr(text, ':');
    if (colon == NULL || colon == text)
        return -1;
    const char *h = text, *h_end = colon;
    if (*h == '[') { /* [v6]:port */
        if (colon[-1] != ']')
            return -1;
        h++;
        h_end--;
    }
    size_t n = (size_t)(h_end - h);
    if (n == 0 || n >= hostlen || h[0] == '-' || memchr(h, '[', n) != NULL || memchr(h, ']', n) != NULL)
        return -1;
    for (size_t k = 0; k < n; k++)
        if (!(isalnum((unsigned char)h[k]) || h[k] == '.' || h[k] == '-' || h[k] == ':'))
            return -1; /* a host name or an address: nothing CRIU would read as an option */
    long p;
    if (parse_long(colon + 1, 1, 65535, &p) != 0 || (size_t)snprintf(port, portlen, "%ld", p) >= portlen)
        return -1;
    memcpy(hostbuf, h, n);
    hostbuf[n] = '\0';
    return 0;
}

int maps_hsperfdata(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    char *maps = read_text_file(path, 16 << 20);
    int found = maps != NULL && strstr(maps, "/hsperfdata_") != NULL;
    free(maps);
    return found;
}

/* Tells the person what CRIU said and whether the process survived. */
static void report_failure(const struct checkpoint_opts *o, const char *step, const char *dir, const char *log_name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, log_name);
    char *log = read_text_file(path, 64 << 20);
    char first[400];
    criu_first_error(log, first, sizeof first);
    lp_err(CMD, "CRIU %s of pid %ld failed: %s", step, o->pid, first[0] ? first : "(no error line in the log)");
    const char *advice = criu_explain(log);
    if (advice != NULL)
        lp_hint("%s", advice);
    fprintf(stderr, "  CRIU's log: %s\n", path);
    free(log);

    char state;
    if (pid_exists((pid_t)o->pid, &state, NULL, 0) && state != 'Z')
        fprintf(stderr, "  pid %ld is still running (state %c): CRIU resumed it, nothing was changed.\n", o->pid, state);
    else
        fprintf(stderr, "  pid %ld is gone: it exited during the checkpoint.\n", o->pid);
}

/* Runs one criu dump or pre-dump into dir; returns criu's status and fills stats and ms. */
static int run_dump(const struct checkpoint_opts *o, const char *action, const char *dir,
                    const char *prev, int track_mem, struct criu_stats *st, double *ms)
{
    char pid[24], out[PATH_MAX], log[64];
    snprintf(pid, sizeof pid, "%ld", o->pid);
    snprintf(out, sizeof out, "%s/%s.out", dir, action);
    snprintf(log, sizeof log, "%s.log", action);

    struct criu_argv a;
    criu_argv_init(&a);
    criu_arg(&a, action);
    criu_arg(&a, "-t");
    criu_arg(&a, pid);
    criu_arg(&a, "-D");
    criu_arg(&a, dir);
    criu_arg(&a, "-o"); /* relative to -D */
    criu_arg(&a, log);
    criu_arg(&a, "--display-stats");
    if (o->tcp_established) {
        criu_arg(&a, "--tcp-established");
        criu_arg(&a, "--network-lock"); /* restore must unlock with the same method */
        criu_arg(&a, criu_network_lock());
    }
    if (track_mem)
        criu_arg(&a, "--track-mem");
    if (prev != NULL) {
        criu_arg(&a, "--prev-images-dir"); /* relative to -D */
        criu_arg(&a, prev);
    }
    if (strcmp(action, "dump") == 0 && o->leave_running)
        criu_arg(&a, "--leave-running");
    if (o->ps_host != NULL) {
        criu_arg(&a, "--page-server");
        criu_arg(&a, "--address");
        criu_arg(&a, o->ps_host);
        criu_arg(&a, "--port");
        criu_arg(&a, o->ps_port);
    }

    uint64_t t0 = now_ns();
    int rc = criu_run(&a, out);
    *ms = (double)(now_ns() - t0) / 1e6;
    char *text = read_text_file(out, 1 << 20);
    criu_parse_stats(text, st);
    free(text);
    if (rc < 0)
        lp_err(CMD, "cannot run %s: %s", criu_describe(), strerror(errno));
    return rc;
}

static void write_meta(const struct checkpoint_opts *o, int dirfd, const char *comm)
{
    char path[PATH_MAX], text[1024], why[512];
    snprintf(path, sizeof path, "%s/%s", o->dir, CHECKPOINT_META);
    snprintf(text, sizeof text,
             "# written by lp4j-native checkpoint; read by lp4j-native restore\n"
             "pid=%ld\ncomm=%s\ntcp_established=%d\nnetwork_lock=%s\npre_dumps=%ld\ncreated_unix=%lld\n",
             o->pid, comm, o->tcp_established, o->tcp_established ? criu_network_lock() : "none", o->pre_dumps,
             (long long)time(NULL));
    int fd = files_create_in(dirfd, CHECKPOINT_META, why, sizeof why);
    size_t n = strlen(text);
    int ok = fd >= 0 && write(fd, text, n) == (ssize_t)n;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    if (!ok)
        lp_warn(CMD, "cannot write %s (%s); restore will still work, without the flags it records",
                path, fd < 0 ? why : strerror(errno));
}

int cmd_checkpoint(int argc, char **argv)
{
    struct checkpoint_opts o;
    if (checkpoint_parse(argc, argv, &o) != 0)
        return usage();

    char state, comm[64];
    if (!pid_exists((pid_t)o.pid, &state, comm, sizeof comm) || state == 'Z') {
        lp_err(CMD, "no running process with pid %ld", o.pid);
        lp_hint("check the pid with 'ps -p %ld'; a JVM's pid is also in 'jps' or its /admin endpoint", o.pid);
        return EXIT_FAILED;
    }
    if (o.pid == getpid()) {
        lp_err(CMD, "pid %ld is lp4j-native itself", o.pid);
        return EXIT_USAGE;
    }

    char why[1024];
    if (criu_gate(why, sizeof why) != CRIU_OK) {
        lp_err(CMD, "checkpointing is unavailable here: %s", why);
        return EXIT_UNAVAILABLE;
    }
    if (o.pre_dumps > 0 && !criu_has_feature("mem_dirty_track")) {
        lp_err(CMD, "--pre-dump %ld needs the kernel's soft-dirty page tracking, and this kernel has none "
               "('criu check --feature mem_dirty_track' fails: the kernel is built without CONFIG_MEM_SOFT_DIRTY)",
               o.pre_dumps);
        lp_hint("checkpoint without --pre-dump here (the process is frozen for the whole dump), or use a "
                "kernel built with CONFIG_MEM_SOFT_DIRTY=y");
        return EXIT_UNAVAILABLE;
    }

    if (o.ps_host != NULL && !page_server_port_is_ours(&o))
        return EXIT_UNSAFE;
    if (o.check) {
        printf("check=ok\n");
        return EXIT_OK;
    }

    /* The images hold the process's memory: a folder of ours alone, reached only through
     * folders no one else can change (files.h). CRIU gets the path without links. */
    char dir[PATH_MAX];
    int dirfd = files_image_dir(o.dir, dir, sizeof dir, why, sizeof why);
    if (dirfd < 0) {
        lp_err(CMD, "%s", why);
        return dirfd == FILES_REFUSED ? EXIT_UNSAFE : EXIT_FAILED;
    }
    struct stat ignored;
    if (fstatat(dirfd, "inventory.img", &ignored, AT_SYMLINK_NOFOLLOW) == 0) {
        lp_err(CMD, "%s already holds a checkpoint (it has inventory.img); pick an empty folder, or remove the "
               "old checkpoint first (rm -r %s)", o.dir, o.dir);
        close(dirfd);
        return EXIT_FAILED;
    }
    if (maps_hsperfdata((int)o.pid))
        lp_warn(CMD, "pid %ld maps its JVM perf-data file /tmp/hsperfdata_*/%ld: any JVM started before the "
                "restore deletes it (it looks stale) and the restore then fails; start JVMs you checkpoint with "
                "-XX:+PerfDisableSharedMem", o.pid, o.pid);

    double total_ms = 0, ms;
    struct criu_stats st;
    char pre_dir[PATH_MAX + 40], prev[32];
    uint64_t images_total = 0;
    for (long k = 1; k <= o.pre_dumps; k++) {
        char name[32];
        snprintf(name, sizeof name, "pre-%ld", k);
        snprintf(pre_dir, sizeof pre_dir, "%s/%s", dir, name);
        if (mkdirat(dirfd, name, 0700) != 0 && errno != EEXIST) {
            lp_err(CMD, "cannot create %s: %s", pre_dir, strerror(errno));
            close(dirfd);
            return EXIT_FAILED;
        }
        snprintf(prev, sizeof prev, "../pre-%ld", k - 1);
        if (run_dump(&o, "pre-dump", pre_dir, k > 1 ? prev : NULL, 1, &st, &ms) != 0) {
            report_failure(&o, "pre-dump", pre_dir, "pre-dump.log");
            close(dirfd);
            return EXIT_FAILED;
        }
        total_ms += ms;
        uint64_t bytes = dir_bytes(pre_dir, ".img");
        images_total += bytes;
        printf("pre_dump.%ld.ms=%.1f\npre_dump.%ld.frozen_ms=%.1f\npre_dump.%ld.bytes=%llu\n",
               k, ms, k, st.frozen_us / 1000, k, (unsigned long long)bytes);
    }

    snprintf(prev, sizeof prev, "pre-%ld", o.pre_dumps);
    int rc = run_dump(&o, "dump", dir, o.pre_dumps > 0 ? prev : NULL, o.pre_dumps > 0, &st, &ms);
    if (rc != 0) {
        report_failure(&o, "dump", dir, "dump.log");
        close(dirfd);
        return EXIT_FAILED;
    }
    total_ms += ms;
    write_meta(&o, dirfd, comm);
    /* CRIU ran under umask 077; this makes sure, whatever mode it chose for a file. */
    if (files_make_private(dirfd, why, sizeof why) != 0) {
        lp_err(CMD, "the checkpoint is written, but %s; the images hold the process's memory: make them private "
               "(chmod -R go= %s) or remove them", why, o.dir);
        close(dirfd);
        return EXIT_FAILED;
    }
    close(dirfd);
    uint64_t bytes = dir_bytes(dir, ".img") - images_total; /* the pre-dumps are below DIR */
    images_total += bytes;

    printf("pid=%ld\ndir=%s\npre_dumps=%ld\n", o.pid, o.dir, o.pre_dumps);
    if (st.have_frozen)
        printf("frozen_ms=%.1f\n", st.frozen_us / 1000);
    else
        printf("frozen_ms=unknown\n");
    printf("dump_ms=%.1f\ntotal_ms=%.1f\nimage_bytes=%llu\nimages_total_bytes=%llu\n", ms, total_ms,
           (unsigned long long)bytes, (unsigned long long)images_total);
    printf("throughput_mib_s=%.1f\n", ms > 0 ? (double)bytes / (1 << 20) / (ms / 1000) : 0.0);
    printf("pages_written=%llu\npages_skipped_parent=%llu\n", (unsigned long long)st.pages_written,
           (unsigned long long)st.pages_skipped_parent);
    printf("left_running=%s\n", o.leave_running ? "yes" : "no");
    if (o.ps_host != NULL)
        printf("pages_sent_to=%s:%s\n", o.ps_host, o.ps_port);
    return EXIT_OK;
}

static int page_server_usage(void)
{
    fputs("usage: lp4j-native page-server --dir DIR --port PORT [--address ADDR]\n"
          "  receives the memory pages of one 'lp4j-native checkpoint --page-server ADDR:PORT' into DIR\n"
          "  (created private, as checkpoint's folder), then exits. ADDR defaults to 127.0.0.1; the pages\n"
          "  travel unencrypted and unauthenticated: give another host's address only on a network you\n"
          "  trust, or tunnel the port (ssh -L).\n",
          stderr);
    return EXIT_USAGE;
}

int cmd_page_server(int argc, char **argv)
{
    const char *dir_arg = NULL, *address = "127.0.0.1";
    char port[8] = "";
    for (int i = 1; i < argc; i++) {
        long p;
        if (i + 1 < argc && strcmp(argv[i], "--dir") == 0)
            dir_arg = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--address") == 0) {
            static char host[256];
            char ignored[8];
            char both[300];
            snprintf(both, sizeof both, "%s:1", argv[++i]);
            if (parse_host_port(both, host, sizeof host, ignored, sizeof ignored) != 0) {
                lp_err("page-server", "--address wants a host name or an address, got '%s'", argv[i]);
                return page_server_usage();
            }
            address = host;
        } else if (i + 1 < argc && strcmp(argv[i], "--port") == 0 && parse_long(argv[i + 1], 1, 65535, &p) == 0)
            snprintf(port, sizeof port, "%ld", p), i++;
        else {
            lp_err("page-server", "unknown, incomplete or invalid option '%s'", argv[i]);
            return page_server_usage();
        }
    }
    if (dir_arg == NULL || port[0] == '\0') {
        lp_err("page-server", "--dir and --port are required");
        return page_server_usage();
    }
    char why[1024];
    if (criu_gate(why, sizeof why) != CRIU_OK) {
        lp_err("page-server", "the page server is unavailable here: %s", why);
        return EXIT_UNAVAILABLE;
    }
    char dir[PATH_MAX];
    int dirfd = files_image_dir(dir_arg, dir, sizeof dir, why, sizeof why);
    if (dirfd < 0) {
        lp_err("page-server", "%s", why);
        return dirfd == FILES_REFUSED ? EXIT_UNSAFE : EXIT_FAILED;
    }
    char out[PATH_MAX + 32];
    snprintf(out, sizeof out, "%s/page-server.out", dir);
    struct criu_argv a;
    criu_argv_init(&a);
    criu_arg(&a, "page-server");
    criu_arg(&a, "--images-dir");
    criu_arg(&a, dir);
    criu_arg(&a, "--address");
    criu_arg(&a, address);
    criu_arg(&a, "--port");
    criu_arg(&a, port);
    criu_arg(&a, "-o");
    criu_arg(&a, "page-server.log");
    fprintf(stderr, "lp4j-native page-server: listening on %s:%s for one checkpoint's pages, into %s\n", address,
            port, dir_arg);
    uint64_t t0 = now_ns();
    int rc = criu_run(&a, out);
    double ms = (double)(now_ns() - t0) / 1e6;
    if (rc != 0) {
        char log[PATH_MAX + 32];
        snprintf(log, sizeof log, "%s/page-server.log", dir);
        if (rc < 0)
            lp_err("page-server", "cannot run %s: %s", criu_describe(), strerror(errno));
        else
            criu_report_log("page-server", "CRIU's page server failed", log);
        close(dirfd);
        return EXIT_FAILED;
    }
    if (files_make_private(dirfd, why, sizeof why) != 0) {
        lp_err("page-server", "the pages are written, but %s; make them private (chmod -R go= %s) or remove them", why,
               dir_arg);
        close(dirfd);
        return EXIT_FAILED;
    }
    close(dirfd);
    printf("dir=%s\nbytes=%llu\nserved_ms=%.1f\n", dir_arg, (unsigned long long)dir_bytes(dir, ".img"), ms);
    return EXIT_OK;
}
