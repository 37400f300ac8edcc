// SPDX-License-Identifier: GPL-2.0
/*
 * vmibench PID RUNS: time full reads of one process's address space through
 * vmainfo and through the kernel's own interfaces, in the same guest run.
 * Prints "name median_ms" lines; ratios are made by tests/guest/bench.sh.
 *
 * vmibench impact SECONDS [REPS [big]]: the target's mmap+munmap latency under
 *   each reader (impact() below): p50, p99 and max (us), each the median over
 *   REPS rounds, and the pairs measured in all rounds.
 * vmibench read READER PID N: N reads by one reader, each one's time in ms.
 * vmibench lookups PID N [REPS]: N address lookups, the kernel's
 *   PROCMAP_QUERY against ours, single and batched (lookups() below).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vmainfo_abi.h"
#include "wl.h"
#include "lat.h"

/* PAGEMAP_SCAN (Linux 6.7+), include/uapi/linux/fs.h */
struct page_region { uint64_t start, end, categories; };
struct pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define PAGE_IS_PRESENT	(1 << 3)
#define PAGEMAP_SCAN	_IOWR('f', 16, struct pm_scan_arg)

static char *buf;
#define BUFSZ (1 << 20)

static void read_file(const char *path, const char *select)
{
	int fd = open(path, select ? O_RDWR : O_RDONLY);

	if (fd < 0)
		die("open %s", path);
	if (select && write(fd, select, strlen(select)) < 0)
		die("select %s", select);
	while (read(fd, buf, BUFSZ) > 0)
		;
	close(fd);
}

struct vma { unsigned long s, e; };

static size_t vmas_of(long pid, struct vma **out)
{
	char path[64], line[512];
	size_t n = 0, cap = 1024;
	struct vma *v = malloc(cap * sizeof(*v));
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
	f = fopen(path, "r");
	if (!f)
		die("open %s", path);
	while (fgets(line, sizeof(line), f)) {
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		/* pagemap ends at the task size: not the x86 vsyscall gate area */
		if (sscanf(line, "%lx-%lx", &v[n].s, &v[n].e) == 2 && !strstr(line, " [vsyscall]"))
			n++;
	}
	fclose(f);
	*out = v;
	return n;
}

/* The process's VMAs and an open /proc/PID/pagemap. */
static int open_pagemap(long pid, struct vma **v, size_t *n)
{
	char path[64];
	int fd;

	*n = vmas_of(pid, v);
	snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	return fd;
}

static void pagemap_all(long pid)
{
	struct vma *v;
	size_t n;
	int fd = open_pagemap(pid, &v, &n);

	for (size_t i = 0; i < n; i++)
		for (unsigned long a = v[i].s; a < v[i].e;) {
			size_t len = (v[i].e - a) / PAGE * 8;

			if (len > BUFSZ)
				len = BUFSZ;
			if (pread(fd, buf, len, (off_t)(a / PAGE * 8)) != (ssize_t)len)
				die("pread");
			a += len / 8 * PAGE;
		}
	close(fd);
	free(v);
}

static int pagemap_scan(long pid)
{
	static struct page_region vec[4096];
	struct vma *v;
	size_t n;
	int fd = open_pagemap(pid, &v, &n);

	for (size_t i = 0; i < n; i++) {
		struct pm_scan_arg arg = {
			.size = sizeof(arg), .start = v[i].s, .end = v[i].e,
			.vec = (uintptr_t)vec, .vec_len = 4096,
			.category_mask = PAGE_IS_PRESENT, .return_mask = PAGE_IS_PRESENT,
		};

		while (arg.start < arg.end) {
			if (ioctl(fd, PAGEMAP_SCAN, &arg) < 0) {
				close(fd);
				free(v);
				return -1;
			}
			arg.start = arg.walk_end;
		}
	}
	close(fd);
	free(v);
	return 0;
}

static void run_cli(long pid)
{
	char p[32];
	pid_t c = fork();

	snprintf(p, sizeof(p), "%ld", pid);
	if (!c) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execlp("vmainfo", "vmainfo", "--json", p, (char *)NULL);
		_exit(127);
	}
	waitpid(c, NULL, 0);
}

/* What each reader does once; 'which' names it. */
static int read_once(const char *which, long pid)
{
	char path[64], sel[32];

	snprintf(sel, sizeof(sel), "%ld", pid);
	if (!strcmp(which, "vmainfo_proc")) {
		snprintf(path, sizeof(path), "/proc/vmainfo/%ld", pid);
		read_file(path, NULL);
	} else if (!strcmp(which, "vmainfo_pagemap")) {
		read_file("/sys/kernel/debug/vmainfo/pagemap", sel);
	} else if (!strcmp(which, "vmainfo_share")) {
		read_file("/proc/vmainfo/share", sel);
	} else if (!strcmp(which, "vmainfo_share_rollup")) {
		snprintf(sel, sizeof(sel), "%ld rollup", pid);
		read_file("/proc/vmainfo/share", sel);
	} else if (!strcmp(which, "vmainfo_cli_json")) {
		run_cli(pid);
	} else if (!strcmp(which, "own_maps")) {
		read_file("/proc/self/maps", NULL);	/* never touches the target */
	} else if (!strcmp(which, "maps")) {
		snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
		read_file(path, NULL);
	} else if (!strcmp(which, "smaps")) {
		snprintf(path, sizeof(path), "/proc/%ld/smaps", pid);
		read_file(path, NULL);
	} else if (!strcmp(which, "smaps_rollup")) {
		snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", pid);
		read_file(path, NULL);
	} else if (!strcmp(which, "pagemap")) {
		pagemap_all(pid);
	} else if (!strcmp(which, "pagemap_scan")) {
		return pagemap_scan(pid);
	}
	return 0;
}

static const char *const readers[] = {
	"vmainfo_proc", "vmainfo_pagemap", "vmainfo_cli_json", "maps", "smaps", "pagemap",
	"pagemap_scan", "vmainfo_share", "smaps_rollup", "vmainfo_share_rollup",
};

#define BIG_SPARSE	(16UL << 30)	/* impact's big VMA: 16 GiB ... */
#define BIG_STEP	(2UL << 20)	/* ... one page touched per 2 MiB (8192 PTE tables) */

/*
 * A child loops mmap()+munmap() of one page (touched) for @secs and at least
 * LAT_MIN times while @which (NULL: nobody) reads it in a loop, and reports
 * the distribution of the pairs' times.  With @big the child first maps a
 * 16 GiB VMA with a page touched every 2 MiB: a reader that holds the mmap
 * lock (or the VMA's lock) for a whole VMA's page-table walk shows in p99/max.
 */
static struct lat impact(const char *which, double secs, bool big)
{
	int pfd[2], go[2];
	struct lat l;
	char path[64];
	pid_t t;

	if (pipe(pfd) || pipe(go))
		die("pipe");
	t = fork();
	if (!t) {
		double *v = malloc(LAT_MAX * sizeof(*v));
		struct lat r = { 0 };
		char c;

		close(pfd[0]);
		close(go[1]);
		if (!v)
			_exit(1);
		if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
			cpu_set_t set;

			/* make bench runs the reader on CPU 1: this is lock contention */
			CPU_ZERO(&set);
			CPU_SET(0, &set);
			sched_setaffinity(0, sizeof(set), &set);
		}
		if (big) {
			char *m = mmap(NULL, BIG_SPARSE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

			if (m == MAP_FAILED)
				_exit(1);
			for (unsigned long o = 0; o < BIG_SPARSE; o += BIG_STEP)
				m[o] = 1;
		}
		if (read(go[0], &c, 1) != 1)	/* until the reader can see us */
			_exit(1);
		r = lat_pairs(v, secs);
		if (write(pfd[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		/* stay until the reader is done, so no read finds us gone */
		while (read(go[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(pfd[1]);
	close(go[0]);
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", t);
	for (int i = 0; i < 2000 && access(path, R_OK); i++)
		usleep(1000);	/* the entry follows the fork within milliseconds */
	if (write(go[1], "g", 1) != 1)
		die("go");
	/* read until the target reports (it needs LAT_MIN pairs), not just @secs */
	for (;;) {
		struct pollfd pf = { .fd = pfd[0], .events = POLLIN };

		if (poll(&pf, 1, 0) > 0)
			break;
		if (which)
			read_once(which, t);
		else
			usleep(1000);
	}
	if (read(pfd[0], &l, sizeof(l)) != sizeof(l))
		die("impact: the target failed%s", big ? " (16 GiB NORESERVE mapping?)" : "");
	close(go[1]);		/* now the target may exit */
	waitpid(t, NULL, 0);
	close(pfd[0]);
	return l;
}

/*
 * vmibench lookups PID N [REPS]: N addresses drawn (a fixed seed) from the
 * VMAs of PID, one in eight from the gaps between them, looked up four ways:
 * the kernel's PROCMAP_QUERY on /proc/PID/maps (6.11 and later), ours one
 * ioctl per address on /proc/vmainfo/PID, and ours in VMAINFO_QUERY_BATCH
 * calls of 1024 addresses, from the tree and with VMAINFO_BATCH_INDEX (the
 * file's VMA index: built in the first round's first call, where the kernel
 * has it).  All answers (the VMA's start and end, or none) must agree.  REPS
 * rounds (default 1), the ways in turn in each, so drift hits them alike;
 * prints the medians: lookup_kernel_ms (n/a before 6.11), lookup_single_ms,
 * lookup_batch_ms, lookup_index_ms, and the first round's
 * lookup_index_first_ms (with the build).  The batch's record array is
 * written once before any round, as a symbolizer reuses its buffer: a first
 * touch of its 250 pages would time page faults, which the one-at-a-time
 * ways, writing one record on the stack, do not pay.
 * VMIBENCH_BATCH_REPS=K repeats each round's batches K times (for a profile).
 */
#define LOOKUP_BATCH	1024

/* One PROCMAP_QUERY of @addr on @fd: 0 and the VMA's bounds, or the errno. */
static int lookup_one(int fd, uint64_t addr, uint64_t *start, uint64_t *end)
{
	struct vmainfo_procmap_query q = { .size = sizeof(q), .query_addr = addr };

	if (ioctl(fd, VMAINFO_PROCMAP_QUERY, &q))
		return errno;
	*start = q.vma_start;
	*end = q.vma_end;
	return 0;
}

/* Ours, one ioctl per address on @fd: the answers the others must give. */
static double lookups_single(int fd, const char *path, const uint64_t *addrs,
			     uint64_t (*want)[2], long n)
{
	double a = now_ms();

	for (long i = 0; i < n; i++) {
		int e = lookup_one(fd, addrs[i], &want[i][0], &want[i][1]);

		if (e && e != ENOENT)
			die("PROCMAP_QUERY on %s: %s", path, strerror(e));
		if (e)
			want[i][0] = want[i][1] = 0;
	}
	return now_ms() - a;
}

/* Ours, VMAINFO_QUERY_BATCH calls of LOOKUP_BATCH addresses with @bf, checked. */
static double lookups_batch(int fd, const uint64_t *addrs, struct vmainfo_procmap_query *recs,
			    uint64_t (*want)[2], long n, uint64_t bf)
{
	double a = now_ms();

	for (long off = 0; off < n; off += LOOKUP_BATCH) {
		struct vmainfo_query_batch b = {
			.size = sizeof(b), .batch_flags = VMAINFO_BATCH_ADDRS | bf,
			.addrs_addr = (uintptr_t)(addrs + off),
			.recs_addr = (uintptr_t)(recs + off),
			.rec_size = sizeof(*recs),
			.rec_count = (uint32_t)(n - off < LOOKUP_BATCH ? n - off : LOOKUP_BATCH),
		};
		int got = ioctl(fd, VMAINFO_QUERY_BATCH, &b);

		if (got != (int)b.rec_count)
			die("VMAINFO_QUERY_BATCH: %d of %u", got, b.rec_count);
	}
	a = now_ms() - a;
	for (long i = 0; i < n; i++)
		if (recs[i].vma_end != want[i][1] || (want[i][1] && recs[i].vma_start != want[i][0]))
			die("batch answer %ld (%#lx) differs", i, (unsigned long)addrs[i]);
	return a;
}

/* The kernel's, one PROCMAP_QUERY per address on @fd: < 0 if it has none. */
static double lookups_kernel(int fd, const uint64_t *addrs, uint64_t (*want)[2], long n)
{
	double a = now_ms();

	for (long i = 0; i < n; i++) {
		uint64_t s0 = 0, e0 = 0;
		int e = lookup_one(fd, addrs[i], &s0, &e0);

		if (e == ENOTTY || e == EINVAL)
			return -1;	/* no PROCMAP_QUERY here (before 6.11) */
		if ((e && e != ENOENT) || (e == ENOENT && want[i][1]) ||
		    (!e && (s0 != want[i][0] || e0 != want[i][1])))
			die("kernel answer %ld (%#lx) differs", i, (unsigned long)addrs[i]);
	}
	return now_ms() - a;
}

static int lookups(long pid, long n, long reps)
{
	struct vmainfo_procmap_query *recs = malloc((size_t)n * sizeof(*recs));
	uint64_t *addrs = calloc((size_t)n, sizeof(*addrs));
	uint64_t (*want)[2] = calloc((size_t)n, sizeof(*want));
	double *single = calloc((size_t)reps, sizeof(double));
	double *batch = calloc((size_t)reps, sizeof(double));
	double *kernel = calloc((size_t)reps, sizeof(double));
	double *indexed = calloc((size_t)reps, sizeof(double));
	char path[64], kpath[64];
	struct vma *v;
	size_t nv = vmas_of(pid, &v);
	long breps = getenv("VMIBENCH_BATCH_REPS") ? atol(getenv("VMIBENCH_BATCH_REPS")) : 1;
	int fd, kfd;

	if (!recs || !addrs || !want || !single || !batch || !kernel || !indexed || !nv)
		die("lookups: no memory or no VMA");
	memset(recs, 0, (size_t)n * sizeof(*recs));
	srand(1);
	for (long i = 0; i < n; i++) {
		size_t j = (size_t)rand() % nv;

		if (i % 8 == 7 && j + 1 < nv && v[j].e < v[j + 1].s)
			addrs[i] = v[j].e + (unsigned long)rand() % (v[j + 1].s - v[j].e);
		else
			addrs[i] = v[j].s + (unsigned long)rand() % (v[j].e - v[j].s);
	}
	snprintf(path, sizeof(path), "/proc/vmainfo/%ld", pid);
	snprintf(kpath, sizeof(kpath), "/proc/%ld/maps", pid);
	fd = open(path, O_RDONLY);
	kfd = open(kpath, O_RDONLY);
	if (fd < 0 || kfd < 0)
		die("open %s", fd < 0 ? path : kpath);
	for (long r = 0; r < reps; r++) {
		single[r] = lookups_single(fd, path, addrs, want, n);
		for (long k = 0; k < (breps > 1 ? breps : 1); k++) {
			double t = lookups_batch(fd, addrs, recs, want, n, 0);

			if (!k || t < batch[r])
				batch[r] = t;
		}
		for (long k = 0; k < (breps > 1 ? breps : 1); k++) {
			double t = lookups_batch(fd, addrs, recs, want, n, VMAINFO_BATCH_INDEX);

			if (!k || t < indexed[r])
				indexed[r] = t;
		}
		kernel[r] = lookups_kernel(kfd, addrs, want, n);
	}
	close(fd);
	close(kfd);
	if (kernel[0] < 0)
		printf("lookup_kernel_ms n/a\n");
	else
		printf("lookup_kernel_ms %.3f\n", median(kernel, reps));
	printf("lookup_single_ms %.3f\nlookup_batch_ms %.3f\n", median(single, reps),
	       median(batch, reps));
	/* the first round's includes the index's build */
	printf("lookup_index_first_ms %.3f\n", indexed[0]);
	printf("lookup_index_ms %.3f\n", median(indexed, reps));
	free(recs);
	free(addrs);
	free(want);
	free(single);
	free(batch);
	free(kernel);
	free(indexed);
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	long pid, runs;

	buf = malloc(BUFSZ);
	if ((argc == 3 || argc == 4 || argc == 5) && !strcmp(argv[1], "impact")) {
		/*
		 * "none": the target alone; "own_maps": a reader of its own
		 * maps, which never touches the target: what a reader costs it
		 * by running at all (under TCG the other vCPU's work shows in
		 * p99), the floor of every other reader's p99
		 */
		static const char *const who[] = {
			"none", "own_maps", "vmainfo_proc", "vmainfo_pagemap", "maps", "smaps",
			"pagemap",
		};
		enum { NW = sizeof(who) / sizeof(who[0]) };
		double secs = atof(argv[2]);
		long reps = argc >= 4 ? atol(argv[3]) : 1;
		bool big = argc == 5 && !strcmp(argv[4], "big");
		double *p50[NW], *p99[NW], *max[NW];
		long n[NW] = { 0 };

		if (reps < 1 || (argc == 5 && !big))
			die("usage: vmibench impact SECONDS [REPS [big]]");
		/* rounds over all readers in turn, so drift hits every reader alike */
		for (int k = 0; k < NW; k++) {
			p50[k] = calloc((size_t)reps, sizeof(double));
			p99[k] = calloc((size_t)reps, sizeof(double));
			max[k] = calloc((size_t)reps, sizeof(double));
		}
		for (long r = 0; r < reps; r++) {
			for (int k = 0; k < NW; k++) {
				struct lat l = impact(k ? who[k] : NULL, secs, big);

				p50[k][r] = l.p50;
				p99[k][r] = l.p99;
				max[k][r] = l.max;
				n[k] += l.n;
			}
		}
		/* each percentile: the median of the rounds' values */
		for (int k = 0; k < NW; k++)
			printf("impact_%s_us %.0f %.0f %.0f %ld\n", who[k], median(p50[k], reps),
			       median(p99[k], reps), median(max[k], reps), n[k]);
		return 0;
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "lookups")) {
		long reps = argc == 5 ? atol(argv[4]) : 1;

		if (reps < 1 || atol(argv[3]) < 1)
			die("usage: vmibench lookups PID N [REPS]");
		return lookups(atol(argv[2]), atol(argv[3]), reps);
	}
	if (argc == 5 && !strcmp(argv[1], "read")) {	/* for make profile */
		pid = atol(argv[3]);
		for (long i = atol(argv[4]); i > 0; i--) {
			double a = now_ms();

			if (read_once(argv[2], pid))
				die("%s: not supported here", argv[2]);
			printf("%s %.3f\n", argv[2], now_ms() - a);
		}
		return 0;
	}
	if (argc != 3)
		die("usage: vmibench PID RUNS | vmibench impact SECONDS [REPS [big]] | vmibench read READER PID N | vmibench lookups PID N [REPS]");
	pid = atol(argv[1]);
	runs = atol(argv[2]);
	if (runs < 1)
		die("RUNS must be at least 1");
	/*
	 * Round after round, each reader once per round: the guest's speed
	 * drifts (TCG), and interleaving makes every reader see the same drift.
	 */
	enum { NR = sizeof(readers) / sizeof(readers[0]) };
	double *t[NR];
	int unsupported[NR] = { 0 };

	for (size_t r = 0; r < NR; r++)
		t[r] = calloc((size_t)runs, sizeof(double));
	for (long i = 0; i < runs; i++) {
		for (size_t r = 0; r < NR; r++) {
			double a = now_ms();

			if (unsupported[r])
				continue;
			if (read_once(readers[r], pid))
				unsupported[r] = 1;
			t[r][i] = now_ms() - a;
		}
	}
	for (size_t r = 0; r < NR; r++) {
		if (unsupported[r]) {
			printf("%s n/a\n", readers[r]);
		} else {
			printf("%s %.3f\n", readers[r], median(t[r], runs));
		}
		free(t[r]);
	}
	return 0;
}
