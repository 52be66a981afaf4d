/* Order statistics for the benchmarks: median and high percentiles over a run's samples. */
#ifndef LP4J_STATS_H
#define LP4J_STATS_H

#include <stddef.h>

void sort_doubles(double *v, size_t n);
/* Nearest-rank percentile (p in [0,100]) of sorted v: the smallest sample with at least p%
 * of the samples at or below it. With 100 runs, p99 is the 99th smallest, not an average. */
double percentile_sorted(const double *v, size_t n, double p);
double mean(const double *v, size_t n);

#endif
