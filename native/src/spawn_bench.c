/* `lp4j-native spawn-bench`. For each size the parent maps and touches that much anonymous
 * memory (4 KiB pages unless --thp, so fork has one page-table entry per page to copy, as it
 * would for a heap without huge pages), then times every creation method --runs times.
 * Output: a table on stdout, and with --csv a file the plot script reads. */
#define _GNU_SOURCE
#include "spawn_bench.h"
#include "create.h"
#include "files.h"
#include "stats.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CMD "spawn-bench"
#define MAX_SIZES SPAWN_BENCH_MAX_SIZES
#define WARMUP_RUNS 5

struct cell {
    double median_us, p99_us, min_us, max_us, mean_us;
};

static int usage(void)
{
    fputs("usage: lp4j-native spawn-bench [--sizes 0,64M,256M,1G,4G] [--runs N] [--program PATH] [--csv FILE] [--thp]\n"
          "  times fork+exec, vfork+exec, posix_spawn and clone(CLONE_VM|CLONE_VFORK)+exec of PATH\n"
          "  (default: lp4j-trivial beside this binary) while the parent holds SIZE of touched memory.\n",
          stderr);
    return EXIT_USAGE;
}

/* lp4j-trivial next to our own executable, else /bin/true. */
static void default_program(char *out, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        snprintf(out, len, "%s/lp4j-trivial", dirname(self));
        if (access(out, X_OK) == 0)
            return;
    }
    snprintf(out, len, "/bin/true");
}

static long rss_kib(void)
{
    char *statm = read_text_file("/proc/self/statm", 256);
    long pages = 0, rss = 0;
    if (statm != NULL && sscanf(statm, "%ld %ld", &pages, &rss) != 2)
        rss = 0;
    free(statm);
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void *touch(uint64_t bytes, int thp)
{
    if (bytes == 0)
        return NULL;
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return MAP_FAILED;
    madvise(p, bytes, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    long page = sysconf(_SC_PAGESIZE);
    for (uint64_t off = 0; off < bytes; off += (uint64_t)page)
        ((volatile char *)p)[off] = (char)(off >> 12); /* non-zero, private, resident */
    return p;
}

static int measure(enum create_method m, const struct bench_opts *o, double *samples, struct cell *c)
{
    for (long i = 0; i < WARMUP_RUNS + o->runs; i++) {
        int64_t ns = create_and_reap(m, o->program);
        if (ns < 0) {
            lp_err(CMD, "%s of %s failed: %s", create_method_name(m), o->program,
                   ns == -EIO ? "the child did not exit with status 0" : strerror((int)-ns));
            return -1;
        }
        if (i >= WARMUP_RUNS)
            samples[i - WARMUP_RUNS] = (double)ns / 1000.0;
    }
    size_t n = (size_t)o->runs;
    c->mean_us = mean(samples, n);
    sort_doubles(samples, n);
    c->median_us = percentile_sorted(samples, n, 50);
    c->p99_us = percentile_sorted(samples, n, 99);
    c->min_us = samples[0];
    c->max_us = samples[n - 1];
    return 0;
}

static void size_label(uint64_t b, char *out, size_t len)
{
    if (b >= (1ull << 30) && b % (1ull << 30) == 0)
        snprintf(out, len, "%lluG", (unsigned long long)(b >> 30));
    else if (b >= (1ull << 20) && b % (1ull << 20) == 0)
        snprintf(out, len, "%lluM", (unsigned long long)(b >> 20));
    else if (b >= 1024 && b % 1024 == 0)
        snprintf(out, len, "%lluK", (unsigned long long)(b >> 10));
    else
        snprintf(out, len, "%llu", (unsigned long long)b);
}

int spawn_bench_parse(int argc, char **argv, struct bench_opts *o)
{
    memset(o, 0, sizeof *o);
    o->runs = 100;
    o->nsizes = parse_size_list("0,64M,256M,1G,4G", o->sizes, MAX_SIZES);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--thp") == 0)
            o->thp = 1;
        else if (i + 1 < argc && strcmp(a, "--sizes") == 0) {
            o->nsizes = parse_size_list(argv[++i], o->sizes, MAX_SIZES);
            if (o->nsizes <= 0) {
                lp_err(CMD, "--sizes wants a comma-separated list like 0,64M,1G (at most %d), got '%s'", MAX_SIZES, argv[i]);
                return -1;
            }
        } else if (i + 1 < argc && strcmp(a, "--runs") == 0) {
            if (parse_long(argv[++i], 1, 1000000, &o->runs) != 0) {
                lp_err(CMD, "--runs wants a count from 1 to 1000000, got '%s'", argv[i]);
                return -1;
            }
        } else if (i + 1 < argc && strcmp(a, "--program") == 0)
            o->program = argv[++i];
        else if (i + 1 < argc && strcmp(a, "--csv") == 0)
            o->csv = argv[++i];
        else {
            lp_err(CMD, "unknown or incomplete option '%s'", a);
            return -1;
        }
    }
    return 0;
}

int cmd_spawn_bench(int argc, char **argv)
{
    static char program[PATH_MAX];
    struct bench_opts o;
    if (spawn_bench_parse(argc, argv, &o) != 0)
        return usage();
    if (o.program == NULL) {
        default_program(program, sizeof program);
        o.program = program;
    }
    if (access(o.program, X_OK) != 0) {
        lp_err(CMD, "cannot execute %s: %s", o.program, strerror(errno));
        lp_hint("build it with 'make -C native', or pass --program /bin/true");
        return EXIT_FAILED;
    }

    FILE *csv = NULL;
    if (o.csv != NULL) {
        char why[768];
        int fd = files_open_output(o.csv, 0, why, sizeof why); /* no link followed, see files.h */
        if (fd < 0 || (csv = fdopen(fd, "w")) == NULL) {
            lp_err(CMD, "cannot write the CSV file: %s", fd < 0 ? why : strerror(errno));
            if (fd >= 0)
                close(fd);
            return fd == FILES_REFUSED ? EXIT_UNSAFE : EXIT_FAILED;
        }
    }
    if (csv != NULL)
        fprintf(csv, "size_bytes,method,runs,median_us,p99_us,min_us,max_us,mean_us,parent_rss_kib\n");

    double *samples = malloc(sizeof(double) * (size_t)o.runs);
    struct cell cells[MAX_SIZES][CREATE_METHODS];
    if (samples == NULL) {
        lp_err(CMD, "out of memory for %ld samples", o.runs);
        return EXIT_FAILED;
    }
    printf("# spawn-bench: %s, %ld runs per cell after %d warm-up runs, parent memory touched with %s;\n"
           "# time from the call to the child reaped (us), nearest-rank median and p99\n",
           o.program, o.runs, WARMUP_RUNS, o.thp ? "transparent huge pages (MADV_HUGEPAGE)" : "4 KiB pages (MADV_NOHUGEPAGE)");
    printf("%-8s %-10s", "size", "rss_MiB");
    for (int m = 0; m < CREATE_METHODS; m++)
        printf(" %22s", create_method_name((enum create_method)m));
    printf("\n%-8s %-10s", "", "");
    for (int m = 0; m < CREATE_METHODS; m++)
        printf(" %22s", "median / p99");
    printf("\n");
    fflush(stdout);

    int rc = EXIT_OK;
    for (int s = 0; s < o.nsizes && rc == EXIT_OK; s++) {
        void *mem = touch(o.sizes[s], o.thp);
        if (mem == MAP_FAILED) {
            lp_err(CMD, "cannot map %llu bytes for the parent: %s", (unsigned long long)o.sizes[s], strerror(errno));
            rc = EXIT_FAILED;
            break;
        }
        long rss = rss_kib();
        char label[32];
        size_label(o.sizes[s], label, sizeof label);
        printf("%-8s %-10.0f", label, (double)rss / 1024);
        for (int m = 0; m < CREATE_METHODS; m++) {
            struct cell *c = &cells[s][m];
            if (measure((enum create_method)m, &o, samples, c) != 0) {
                rc = EXIT_FAILED;
                break;
            }
            char text[32];
            snprintf(text, sizeof text, "%.0f / %.0f", c->median_us, c->p99_us);
            printf(" %22s", text);
            fflush(stdout);
            if (csv != NULL)
                fprintf(csv, "%llu,%s,%ld,%.2f,%.2f,%.2f,%.2f,%.2f,%ld\n", (unsigned long long)o.sizes[s],
                        create_method_name((enum create_method)m), o.runs, c->median_us, c->p99_us, c->min_us,
                        c->max_us, c->mean_us, rss);
        }
        printf("\n");
        if (mem != NULL)
            munmap(mem, o.sizes[s]);
    }
    if (rc == EXIT_OK && o.nsizes > 1) {
        int last = o.nsizes - 1;
        char lo[32], hi[32];
        size_label(o.sizes[0], lo, sizeof lo);
        size_label(o.sizes[last], hi, sizeof hi);
        printf("# shape: median at %s over median at %s:", hi, lo);
        for (int m = 0; m < CREATE_METHODS; m++)
            printf(" %s %.1fx%s", create_method_name((enum create_method)m),
                   cells[last][m].median_us / cells[0][m].median_us, m + 1 < CREATE_METHODS ? "," : "\n");
    }
    free(samples);
    if (csv != NULL && fclose(csv) != 0) {
        lp_err(CMD, "writing %s failed: %s", o.csv, strerror(errno));
        rc = EXIT_FAILED;
    }
    return rc;
}
