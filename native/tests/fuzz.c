/* A coverage-guided, deterministic fuzzer for what lp4j-native parses from untrusted text: the
 * command lines of its commands, the metadata a checkpoint folder holds (lp4j-checkpoint.txt,
 * image names, the "parent" link), CRIU's output and logs, and /proc files. There is no clang
 * here, so no libFuzzer: the library sources are built with gcc's -fsanitize-coverage=trace-pc
 * plus ASan and UBSan, and this file keeps an edge map, a corpus (tests/fuzz-corpus/, replayed
 * first on every run) and seeded mutations. A crash, a sanitizer report, an input that uses
 * 2 s of CPU or an allocation over 64 MiB stops the run and saves the input in
 * build/fuzz-findings/, to be fixed and then kept in the corpus.
 *
 * usage: fuzz CORPUS_DIR [--seconds N] [--runs N] [--seed N] [--findings DIR]
 * Corpus files are named TARGET.NAME; TARGET is one of args, meta, criu, proc, size, path. */
#define _GNU_SOURCE
#include "checkpoint.h"
#include "criu.h"
#include "detached.h"
#include "files.h"
#include "restore.h"
#include "spawn_bench.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* --- sanitizer settings and coverage ---------------------------------------------------- */

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__asan_default_options(void)
{
    /* abort_on_error: the SIGABRT handler below saves the input; max_allocation_size_mb: an
     * allocation a parser sizes from its input cannot grow without bound. */
    return "abort_on_error=1:detect_leaks=1:max_allocation_size_mb=64:allocator_may_return_null=0";
}
const char *__ubsan_default_options(void)
{
    return "abort_on_error=1:halt_on_error=1:print_stacktrace=1";
}

#define MAP_SIZE (1u << 13)
static uint8_t edges[MAP_SIZE], seen[MAP_SIZE];
static uintptr_t prev_pc;

/* Called by gcc at every basic block of the code built with -fsanitize-coverage=trace-pc. */
void __sanitizer_cov_trace_pc(void);
void __sanitizer_cov_trace_pc(void)
{
    /* Relative to this function, which is in the same executable: the same edges on every run
     * whatever address the loader chose, so a seed gives the same run everywhere. */
    uintptr_t pc = (uintptr_t)__builtin_return_address(0) - (uintptr_t)__sanitizer_cov_trace_pc;
    edges[(pc ^ prev_pc) & (MAP_SIZE - 1)] = 1;
    prev_pc = pc >> 1;
}

/* --- inputs, findings -------------------------------------------------------------------- */

#define FUZZ_MAX_INPUT 65536
#define MAX_CORPUS 4096

struct input {
    char target[16];
    size_t len;
    unsigned char *data;
};

static struct input corpus[MAX_CORPUS];
static int ncorpus, nseed;
static const char *findings_dir = "build/fuzz-findings";
static volatile const unsigned char *current;
static volatile size_t current_len;
static volatile const char *current_target;
static struct timespec exec_start; /* CPU time of the process when the input started */

static void save_finding(const char *kind)
{
    /* Async-signal-safe: this runs in a signal handler. */
    char path[512];
    int n = 0;
    const char *parts[] = {findings_dir, "/", kind, "-", (const char *)current_target, ".input", NULL};
    for (int i = 0; parts[i] != NULL; i++)
        for (const char *c = parts[i]; *c && n < (int)sizeof path - 1; c++)
            path[n++] = *c;
    path[n] = '\0';
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        size_t off = 0;
        while (off < current_len) {
            ssize_t w = write(fd, (const char *)current + off, current_len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        close(fd);
    }
    const char *msg[] = {"\nfuzz: FINDING (", kind, ") on target ", (const char *)current_target,
                         "; the input is in ", path, "\n", NULL};
    for (int i = 0; msg[i] != NULL; i++)
        if (write(2, msg[i], strlen(msg[i])) < 0)
            break;
}

static void on_fatal(int sig)
{
    if (current != NULL)
        save_finding(sig == SIGABRT ? "crash" : "signal");
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Every second of CPU time (SIGPROF): an input that has used 2 s of CPU on its own hangs. CPU
 * time, not wall time, so a machine busy with other work does not make a slow input a hang. */
static void on_tick(int sig)
{
    (void)sig;
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    double used = (double)(now.tv_sec - exec_start.tv_sec) + (double)(now.tv_nsec - exec_start.tv_nsec) / 1e9;
    if (current != NULL && used >= 2.0) {
        save_finding("hang");
        signal(SIGABRT, SIG_DFL);
        abort();
    }
}

/* --- the targets ------------------------------------------------------------------------- */

/* A copy of each piece with exactly its own bytes, so ASan sees any read past its end. */
static char *dup_exact(const unsigned char *p, size_t n)
{
    char *s = malloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

/* Splits the input at newlines (and NULs) into at most max pieces. */
static int split_lines(const unsigned char *d, size_t len, char **out, int max)
{
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len && n < max; i++) {
        if (i == len || d[i] == '\n' || d[i] == '\0') {
            out[n++] = dup_exact(d + start, i - start);
            start = i + 1;
        }
    }
    return n;
}

static void free_all(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
}

/* Command lines: one argument per line, each given to every command's parser. */
static void target_args(const unsigned char *d, size_t len)
{
    char *pieces[65];
    int n = split_lines(d, len, pieces + 1, 63);
    static char *names[] = {"checkpoint", "restore", "spawn", "spawn-bench"};
    for (int c = 0; c < 4; c++) {
        pieces[0] = names[c];
        char *argv[66];
        memcpy(argv, pieces, sizeof(char *) * (size_t)(n + 1));
        argv[n + 1] = NULL;
        struct checkpoint_opts co;
        struct restore_opts ro;
        struct spawn_opts so;
        struct bench_opts bo;
        const char *pidfile;
        switch (c) {
        case 0: checkpoint_parse(n + 1, argv, &co); break;
        case 1: restore_parse(n + 1, argv, &ro); break;
        case 2: spawn_parse(n + 1, argv, &so, &pidfile); break;
        case 3: spawn_bench_parse(n + 1, argv, &bo); break;
        }
    }
    free_all(pieces + 1, n);
}

/* lp4j-checkpoint.txt: every key restore reads, and the first line as a key. */
static void target_meta(const unsigned char *d, size_t len)
{
    char *text = dup_exact(d, len);
    static const char *keys[] = {"tcp_established", "network_lock", "pid", "comm", "pre_dumps", ""};
    char small[2], value[64];
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        meta_value(text, keys[k], value, sizeof value);
        meta_value(text, keys[k], small, sizeof small);
    }
    char *nl = memchr(text, '\n', len);
    char *key = dup_exact(d, nl != NULL ? (size_t)(nl - text) : len);
    meta_value(text, key, value, sizeof value);
    free(key);
    free(text);
}

/* What CRIU prints: --version, --display-stats, its logs. */
static void target_criu(const unsigned char *d, size_t len)
{
    char *text = dup_exact(d, len);
    struct criu_stats st;
    criu_parse_stats(text, &st);
    int major, minor;
    criu_parse_version(text, &major, &minor);
    char first[400], tiny[1];
    criu_first_error(text, first, sizeof first);
    criu_first_error(text, tiny, sizeof tiny);
    criu_explain(text);
    free(text);
}

/* /proc/PID/stat and status, image names, the parent link's target: the whole text and each line. */
static void target_proc(const unsigned char *d, size_t len)
{
    char *text = dup_exact(d, len);
    char state, comm[64], one[1], two[2];
    parse_proc_stat(text, &state, comm, sizeof comm);
    parse_proc_stat(text, &state, one, sizeof one);
    parse_proc_stat(text, NULL, two, sizeof two);
    stat_ppid(text);
    status_tgid(text);
    free(text);
    char *lines[64];
    int n = split_lines(d, len, lines, 64);
    for (int i = 0; i < n; i++) {
        core_image_tid(lines[i]);
        files_parent_target_ok(lines[i]);
    }
    free_all(lines, n);
}

/* Sizes, size lists and numbers, one per line. */
static void target_size(const unsigned char *d, size_t len)
{
    char *lines[64];
    int n = split_lines(d, len, lines, 64);
    for (int i = 0; i < n; i++) {
        uint64_t v, list[16];
        long l;
        parse_size(lines[i], &v);
        parse_size_list(lines[i], list, 16);
        parse_size_list(lines[i], list, 1);
        parse_long(lines[i], 1, INT32_MAX, &l);
        parse_long(lines[i], -5, 5, &l);
    }
    free_all(lines, n);
}

/* Paths as --dir, --stdout and --pidfile give them: resolved name by name (files.c), which only
 * looks (fstatat, openat O_PATH, readlinkat) and never writes. */
static void target_path(const unsigned char *d, size_t len)
{
    char *lines[16];
    int n = split_lines(d, len, lines, 16);
    for (int i = 0; i < n; i++) {
        char canon[PATH_MAX], why[256], small[8], tiny[8];
        int fd = files_open_trusted_dir(lines[i], canon, sizeof canon, why, sizeof why);
        if (fd >= 0)
            close(fd);
        fd = files_open_trusted_dir(lines[i], small, sizeof small, tiny, sizeof tiny);
        if (fd >= 0)
            close(fd);
    }
    free_all(lines, n);
}

static const struct {
    const char *name;
    void (*run)(const unsigned char *, size_t);
} TARGETS[] = {
    {"args", target_args}, {"meta", target_meta}, {"criu", target_criu},
    {"proc", target_proc}, {"size", target_size}, {"path", target_path},
};
#define NTARGETS (sizeof TARGETS / sizeof TARGETS[0])

static int target_index(const char *name)
{
    for (size_t i = 0; i < NTARGETS; i++)
        if (strcmp(TARGETS[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Runs one input; returns how many new edges it reached. */
static int execute(int t, const unsigned char *d, size_t len)
{
    memset(edges, 0, sizeof edges);
    prev_pc = 0;
    current_target = TARGETS[t].name;
    current_len = len;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &exec_start);
    current = d;
    TARGETS[t].run(d, len);
    current = NULL;
    int fresh = 0;
    for (size_t i = 0; i < MAP_SIZE; i++)
        if (edges[i] && !seen[i]) {
            seen[i] = 1;
            fresh++;
        }
    return fresh;
}

/* --- mutations --------------------------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}
static size_t below(size_t n) { return n == 0 ? 0 : (size_t)(rnd() % n); }

static const char *const TOKENS[] = {
    "--pid", "--dir", "--pre-dump", "--pid-wait", "--leave-running", "--tcp-established", "--sizes", "--runs",
    "--csv", "--program", "--thp", "--stdout", "--stderr", "--pidfile", "--", "-", "checkpoint", "restore",
    "spawn", "spawn-bench", "\n", "=", ",", " ", "\t", "-1", "0", "1", "16", "17", "3600", "3601", "2147483647",
    "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "18446744073709551615",
    "18446744073709551616", "99999999999999999999999999", "4G", "16E", "1T", "17179869184T", "64MiB", "0x10",
    "1e9", "Version: ", "Version: 4.2.1", "Frozen time:", "Freezing time:", "Pages restored:",
    "Memory pages written:", "Restore time:", "Error (criu/x.c:1): ", "RLIMIT_NOFILE", "Can't fork for",
    "(", ")", ") S ", "core-", ".img", "core-1.img", "pre-", "../", "../pre-1", "Tgid:", "\nTgid: ",
    "tcp_established=", "network_lock=", "%s%n%x", "\xff", "\x00", "/", "//", "/.", "/..", "../", "./",
    "/tmp", "/proc/self", "/proc/self/cwd", "/dev/fd/", "/proc/self/root/",
};

static size_t mutate(unsigned char *d, size_t len, size_t cap)
{
    int rounds = 1 + (int)below(4);
    for (int r = 0; r < rounds; r++) {
        switch (below(9)) {
        case 0: /* flip a bit */
            if (len > 0)
                d[below(len)] ^= (unsigned char)(1u << below(8));
            break;
        case 1: { /* an interesting byte */
            static const unsigned char bytes[] = {0, 0xff, '\n', '-', '=', ',', '0', '9', '(', ')', ' ', '/', '.'};
            if (len > 0)
                d[below(len)] = bytes[below(sizeof bytes)];
            break;
        }
        case 2: { /* delete a range */
            if (len == 0)
                break;
            size_t at = below(len), n = 1 + below(len - at);
            memmove(d + at, d + at + n, len - at - n);
            len -= n;
            break;
        }
        case 3: { /* insert a token */
            const char *tok = TOKENS[below(sizeof TOKENS / sizeof TOKENS[0])];
            size_t n = strlen(tok);
            if (n == 0 || len + n > cap)
                break;
            size_t at = below(len + 1);
            memmove(d + at + n, d + at, len - at);
            memcpy(d + at, tok, n);
            len += n;
            break;
        }
        case 4: { /* a long run of one byte: a long argument, a long number, many lines */
            size_t n = 1 + below(5000);
            if (len + n > cap)
                break;
            size_t at = below(len + 1);
            memmove(d + at + n, d + at, len - at);
            memset(d + at, "A9-/\n%,"[below(7)], n);
            len += n;
            break;
        }
        case 5: /* truncate */
            len = below(len + 1);
            break;
        case 6: { /* duplicate a chunk */
            if (len == 0)
                break;
            size_t from = below(len), n = 1 + below(len - from);
            if (len + n > cap)
                break;
            size_t at = below(len + 1);
            memmove(d + at + n, d + at, len - at);
            memmove(d + at, (at <= from ? d + from + n : d + from), n);
            len += n;
            break;
        }
        case 7: { /* splice in a piece of another input */
            const struct input *o = &corpus[below((size_t)ncorpus)];
            if (o->len == 0)
                break;
            size_t from = below(o->len), n = 1 + below(o->len - from);
            if (len + n > cap)
                break;
            size_t at = below(len + 1);
            memmove(d + at + n, d + at, len - at);
            memcpy(d + at, o->data + from, n);
            len += n;
            break;
        }
        case 8: { /* overwrite with a token */
            const char *tok = TOKENS[below(sizeof TOKENS / sizeof TOKENS[0])];
            size_t n = strlen(tok), at = below(len + 1);
            if (at + n > cap)
                break;
            memcpy(d + at, tok, n);
            if (at + n > len)
                len = at + n;
            break;
        }
        }
    }
    return len;
}

/* --- corpus and main loop ---------------------------------------------------------------- */

static void add(const char *target, const unsigned char *d, size_t len)
{
    if (ncorpus == MAX_CORPUS)
        return;
    struct input *in = &corpus[ncorpus++];
    snprintf(in->target, sizeof in->target, "%s", target);
    in->len = len;
    in->data = malloc(len > 0 ? len : 1);
    memcpy(in->data, d, len);
}

static int load_corpus(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "fuzz: cannot read the corpus %s: %s\n", dir, strerror(errno));
        return -1;
    }
    /* Sorted by name, so a seed gives the same run everywhere. */
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    closedir(d);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        const char *dot = strchr(name, '.');
        char target[16];
        if (name[0] != '.' && dot != NULL && (size_t)(dot - name) < sizeof target) {
            memcpy(target, name, (size_t)(dot - name));
            target[dot - name] = '\0';
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", dir, name);
            /* Every byte, NULs included: a saved finding must replay exactly. */
            unsigned char *bytes = malloc(FUZZ_MAX_INPUT);
            int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            ssize_t len = 0, r = 0;
            while (fd >= 0 && len < FUZZ_MAX_INPUT && (r = read(fd, bytes + len, (size_t)(FUZZ_MAX_INPUT - len))) > 0)
                len += r;
            if (fd >= 0)
                close(fd);
            if (target_index(target) < 0 || fd < 0 || r < 0)
                fprintf(stderr, "fuzz: skipping %s (unknown target '%s' or unreadable)\n", path, target);
            else
                add(target, bytes, (size_t)len);
            free(bytes);
        }
        free(names[i]);
    }
    free(names);
    return 0;
}

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
    const char *corpus_dir = NULL;
    double seconds = 20;
    long long max_runs = -1;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0)
            seconds = atof(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--runs") == 0)
            max_runs = atoll(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--findings") == 0)
            findings_dir = argv[++i];
        else if (corpus_dir == NULL)
            corpus_dir = argv[i];
        else {
            fprintf(stderr, "usage: fuzz CORPUS_DIR [--seconds N] [--runs N] [--seed N] [--findings DIR]\n");
            return 2;
        }
    }
    if (corpus_dir == NULL || load_corpus(corpus_dir) != 0 || ncorpus == 0) {
        fprintf(stderr, "fuzz: give a corpus folder with TARGET.NAME files (targets: args meta criu proc size path)\n");
        return 2;
    }
    mkdir(findings_dir, 0700);
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    lp_quiet = 1; /* the parsers' error messages are expected; only sanitizer reports matter */
    int fatal[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        signal(fatal[i], on_fatal);
    signal(SIGPROF, on_tick);
    struct itimerval tick = {{1, 0}, {1, 0}};
    setitimer(ITIMER_PROF, &tick, NULL);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* Every corpus file first: the regression inputs of earlier findings among them. */
    nseed = ncorpus;
    int edges_total = 0;
    for (int i = 0; i < nseed; i++)
        edges_total += execute(target_index(corpus[i].target), corpus[i].data, corpus[i].len);
    long long runs = nseed;
    unsigned char *buf = malloc(FUZZ_MAX_INPUT);
    while ((max_runs < 0 || runs < max_runs) && ((runs & 255) != 0 || since(&t0) < seconds)) {
        const struct input *base = &corpus[below((size_t)ncorpus)];
        memcpy(buf, base->data, base->len);
        size_t len = mutate(buf, base->len, FUZZ_MAX_INPUT);
        int t = target_index(base->target);
        if (below(16) == 0)
            t = (int)below(NTARGETS); /* an input of one kind fed to another */
        int fresh = execute(t, buf, len);
        runs++;
        if (fresh > 0) {
            edges_total += fresh;
            add(TARGETS[t].name, buf, len);
        }
    }
    free(buf);
    double s = since(&t0);
    printf("fuzz: %lld executions in %.1f s (%.0f/s), seed %llu: %d corpus inputs replayed, %d more found by "
           "coverage, %d edges; no crash, hang, sanitizer report or allocation over 64 MiB\n",
           runs, s, (double)runs / (s > 0 ? s : 1), (unsigned long long)seed, nseed, ncorpus - nseed, edges_total);
    for (int i = 0; i < ncorpus; i++)
        free(corpus[i].data);
    return 0;
}
