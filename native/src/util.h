/* Small helpers every lp4j-native command shares: error messages written for a person,
 * monotonic time, size and number parsing, and file/folder utilities. */
#ifndef LP4J_UTIL_H
#define LP4J_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit codes, the same for every command (docs/native.md lists them). */
enum {
    EXIT_OK = 0,
    EXIT_FAILED = 1,      /* the operation ran and failed (CRIU error, child died, ...) */
    EXIT_USAGE = 2,       /* bad command line */
    EXIT_UNAVAILABLE = 3, /* checkpointing cannot work here: not root, no CRIU, kernel */
    EXIT_CONFLICT = 4,    /* restore refused: a PID of the checkpoint is taken */
    EXIT_UNSAFE = 5,      /* refused: a file or folder another user could have planted, written or read */
    EXIT_EXEC_FAILED = 126,
    EXIT_NOT_FOUND = 127,
};

/* "lp4j-native CMD: error: ..." on stderr; lp_hint adds "  what to do: ..." below it. */
void lp_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lp_warn(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lp_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set by the fuzz harness: the three above print nothing. */
extern int lp_quiet;

uint64_t now_ns(void);

/* "0", "4096", "64K", "64M", "1G", "4G" (binary units). Returns 0, or -1 if malformed. */
int parse_size(const char *s, uint64_t *out);
/* Comma-separated sizes; returns how many were parsed, or -1 if one is malformed or > max. */
int parse_size_list(const char *s, uint64_t *out, int max);
/* Whole decimal number in [min, max]; returns 0 or -1. */
int parse_long(const char *s, long min, long max, long *out);

/* Reads a whole file (at most max bytes) into a NUL-terminated malloc'd buffer, or NULL. */
char *read_text_file(const char *path, size_t max);
/* The same from an open descriptor, which it closes. */
char *read_text_fd(int fd, size_t max);
/* Creates path (O_EXCL: fails if it exists, never writes through a link) holding text. */
int write_text_file(const char *path, const char *text);

/* Bytes in regular files under dir whose names end in suffix ("" for all), recursively;
 * symlinks are not followed, so a dump's "parent" link to its pre-dump is not counted twice. */
uint64_t dir_bytes(const char *dir, const char *suffix);
/* mkdir -p, each missing folder made with mode; returns 0 or -1 with errno set. */
int make_dirs(const char *path, mode_t mode);

/* True if /proc/PID exists (a live process or a zombie); *state gets /proc/PID/stat's state
 * letter ('Z' for a zombie) and comm its name, when they are not NULL. */
int pid_exists(pid_t pid, char *state, char *comm, size_t comm_len);
/* The state letter ('?' if none) and the name (comm) in the text of a /proc/PID/stat. */
void parse_proc_stat(const char *stat, char *state, char *comm, size_t comm_len);

#endif
