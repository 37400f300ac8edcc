/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The target's side of a latency measurement (vmibench impact, killlat
 * impact): mmap()+munmap() pairs of one touched page, timed, and their
 * distribution; and the small numeric helpers both programs use.
 */
#ifndef VMAINFO_LAT_H
#define VMAINFO_LAT_H

#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define LAT_MIN		1000		/* pairs at least, however long they take */
#define LAT_MAX		(1L << 20)	/* pairs kept at most */

struct lat {
	double p50, p99, max;	/* us */
	long n;			/* pairs */
};

static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static inline double median(double *t, long n)
{
	qsort(t, (size_t)n, sizeof(double), cmp);
	return t[n / 2];
}

static inline double pct(double *t, long n, double q)
{
	long i = (long)(q * (double)(n - 1) + 0.5);

	return t[i < n ? i : n - 1];
}

/*
 * mmap()+munmap() of one page, touched, for @secs and at least LAT_MIN
 * times (at most LAT_MAX; @v has room for them): p50, p99 and max in us.
 */
static inline struct lat lat_pairs(double *v, double secs)
{
	double stop = now_ms() + secs * 1000;
	long page = sysconf(_SC_PAGESIZE);
	struct lat r = { 0 };

	while ((now_ms() < stop || r.n < LAT_MIN) && r.n < LAT_MAX) {
		double a = now_ms();
		void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		__atomic_store_n((char *)p, 1, __ATOMIC_RELAXED);
		munmap(p, (size_t)page);
		v[r.n++] = (now_ms() - a) * 1000;
	}
	qsort(v, (size_t)r.n, sizeof(*v), cmp);
	r.p50 = pct(v, r.n, 0.50);
	r.p99 = pct(v, r.n, 0.99);
	r.max = v[r.n - 1];
	return r;
}

#endif
