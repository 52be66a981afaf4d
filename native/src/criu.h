/* Running CRIU: where it is (the private prefix of install-criu.sh, LP4J_CRIU, or PATH), the
 * availability gate behind `criu-check`, and reading what CRIU printed: its statistics, and the
 * known failures turned into advice. */
#ifndef LP4J_CRIU_H
#define LP4J_CRIU_H

#include <stddef.h>
#include <stdint.h>

#define CRIU_DEFAULT_PREFIX "/opt/livepatch4j/criu"
#define CRIU_MIN_MAJOR 4
#define CRIU_MIN_MINOR 2 /* 4.1 cannot dump TCP sockets on kernels >= 6.16 (criu #2718) */

struct criu_argv {
    const char *argv[64];
    int argc;
};

/* Starts an argv with the criu executable (and its loader, for the private prefix). */
void criu_argv_init(struct criu_argv *a);
void criu_arg(struct criu_argv *a, const char *arg);
/* What criu_argv_init runs, for messages. */
const char *criu_describe(void);

/* Runs criu; its stdout and stderr go to out_path (truncated). Returns criu's exit status,
 * 128+signal if it was killed, or -1 if it could not be started. */
int criu_run(struct criu_argv *a, const char *out_path);

enum criu_gate {
    CRIU_OK,
    CRIU_NOT_ROOT,
    CRIU_NOT_INSTALLED,
    CRIU_TOO_OLD,
    CRIU_CHECK_FAILED,
};
/* Checks, in order: root, criu runs, version >= 4.2, `criu check` passes. why gets a
 * sentence a person can act on. */
enum criu_gate criu_gate(char *why, size_t whylen);
/* How CRIU locks established TCP connections while it dumps and restores them: "nftables"
 * (default: libnftables ships with the private prefix, no binary needed) or what
 * LP4J_CRIU_NETWORK_LOCK says ("iptables" needs iptables-restore on PATH, "skip"). */
const char *criu_network_lock(void);

/* `criu check --feature NAME` succeeds. */
int criu_has_feature(const char *name);
/* Lazy restore can work here: `criu check` passes for userfaultfd and its non-cooperative events. */
int criu_has_lazy_pages(void);

/* Parses "X.Y[.Z]" from `criu --version` output ("Version: 4.2.1"). Returns 0 or -1. */
int criu_parse_version(const char *text, int *major, int *minor);

struct criu_stats {
    double freezing_us, frozen_us, memdump_us, memwrite_us, restore_us;
    uint64_t pages_scanned, pages_written, pages_skipped_parent, pages_restored;
    int have_frozen, have_restore;
};
/* Parses the --display-stats block; fields CRIU did not print stay 0. */
void criu_parse_stats(const char *text, struct criu_stats *s);

/* For a CRIU log, the advice for the first known failure in it, or NULL. */
const char *criu_explain(const char *log);
/* The first "Error" line of a CRIU log that is not the harmless RLIMIT_NOFILE one, copied to
 * out (empty if none). */
void criu_first_error(const char *log, char *out, size_t outlen);
/* Says on stderr, as command `cmd`, "WHAT: " and the first error of the CRIU log at logpath, then
 * where that log is. */
void criu_report_log(const char *cmd, const char *what, const char *logpath);

#endif
