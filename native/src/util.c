/* Shared helpers; see util.h. */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int lp_quiet;

static void vreport(const char *cmd, const char *kind, const char *fmt, va_list ap)
{
    if (lp_quiet)
        return;
    fprintf(stderr, "lp4j-native %s: %s: ", cmd, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void lp_err(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(cmd, "error", fmt, ap);
    va_end(ap);
}

void lp_warn(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(cmd, "warning", fmt, ap);
    va_end(ap);
}

void lp_hint(const char *fmt, ...)
{
    if (lp_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("  what to do: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int parse_size(const char *s, uint64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0)
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: return -1;
    }
    if (*end == 'i' && shift != 0) /* accept "64MiB" and "64Mi" too */
        end++;
    if (*end == 'B' && shift != 0)
        end++;
    if (*end != '\0')
        return -1;
    if (shift != 0 && v > (ULLONG_MAX >> shift))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int parse_size_list(const char *s, uint64_t *out, int max)
{
    char buf[512];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (n == max || parse_size(tok, &out[n]) != 0)
            return -1;
        n++;
    }
    return n;
}

int parse_long(const char *s, long min, long max, long *out)
{
    if (s == NULL || *s == '\0')
        return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

char *read_text_file(const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    return fd < 0 ? NULL : read_text_fd(fd, max);
}

char *read_text_fd(int fd, size_t max)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    while (buf != NULL && len < max) {
        if (len == cap) {
            cap *= 2;
            char *bigger = realloc(buf, cap + 1);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
        }
        size_t want = cap - len < max - len ? cap - len : max - len;
        ssize_t r = read(fd, buf + len, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (buf != NULL)
        buf[len] = '\0';
    return buf;
}

int write_text_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wex"); /* O_EXCL: never through a link, never over a file */
    if (f == NULL)
        return -1;
    int ok = fputs(text, f) >= 0;
    if (fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

uint64_t dir_bytes(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            total += dir_bytes(path, suffix);
        else if (S_ISREG(st.st_mode) && ends_with(e->d_name, suffix))
            total += (uint64_t)st.st_size;
    }
    closedir(d);
    return total;
}

int make_dirs(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    if (strlen(path) >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(buf, path);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int pid_exists(pid_t pid, char *state, char *comm, size_t comm_len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *stat = read_text_file(path, 4096);
    if (stat == NULL)
        return 0;
    parse_proc_stat(stat, state, comm, comm_len);
    free(stat);
    return 1;
}

void parse_proc_stat(const char *stat, char *state, char *comm, size_t comm_len)
{
    /* "pid (comm) S ...": comm may hold spaces and parentheses, so cut at the last ')'. */
    const char *open = strchr(stat, '(');
    const char *close = strrchr(stat, ')');
    if (comm != NULL && comm_len > 0) {
        comm[0] = '\0';
        if (open != NULL && close != NULL && close > open) {
            size_t n = (size_t)(close - open - 1);
            if (n >= comm_len)
                n = comm_len - 1;
            memcpy(comm, open + 1, n);
            comm[n] = '\0';
        }
    }
    if (state != NULL)
        *state = (close != NULL && close[1] == ' ' && close[2] != '\0') ? close[2] : '?';
}
