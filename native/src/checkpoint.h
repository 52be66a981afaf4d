/* `lp4j-native checkpoint`: dump a running JVM (or any process tree) with CRIU, optionally
 * after N iterative pre-dumps, and report frozen time, total time, image size, throughput. */
#ifndef LP4J_CHECKPOINT_H
#define LP4J_CHECKPOINT_H
#include <stddef.h>

#define CHECKPOINT_META "lp4j-checkpoint.txt"

struct checkpoint_opts {
    long pid;
    const char *dir;
    int leave_running, tcp_established;
    long pre_dumps;
    int check;           /* --check: check the options, the gate and the page server's port; dump nothing */
    const char *ps_host; /* --page-server HOST:PORT: pages go to a page server there */
    char ps_port[8];
};

int cmd_checkpoint(int argc, char **argv);
/* `lp4j-native page-server`: receives one checkpoint's pages into a private folder. */
int cmd_page_server(int argc, char **argv);
/* The uid of a process of another user than the caller (and root) listening on TCP port `port`
 * on this machine, from /proc/net/tcp and tcp6, or -1 if none. */
long tcp_port_listened_by_other(const char *procnet_text, unsigned port, long self_uid);
/* Splits "HOST:PORT" (HOST may be [v6]); 0, or -1 if it is not one. host is a copy in hostbuf. */
int parse_host_port(const char *text, char *hostbuf, size_t hostlen, char *port, size_t portlen);
/* The command line of checkpoint (argv[0] is "checkpoint"); 0, or -1 after saying why. */
int checkpoint_parse(int argc, char **argv, struct checkpoint_opts *o);

/* True if /proc/PID/maps shows a mapped hsperfdata file (the JVM's default perf data). */
int maps_hsperfdata(int pid);

#endif
