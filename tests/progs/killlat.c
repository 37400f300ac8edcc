// SPDX-License-Identifier: GPL-2.0
/*
 * killlat: how soon a reader of a huge VMA dies on SIGKILL (issue 18), and
 * the target's mmap() latency under a looping PROCMAP_QUERY reader.
 *
 *   killlat kill GIB STEP_MIB KILLS READER...
 *	A target maps one GIB GiB MAP_NORESERVE anonymous VMA, MADV_NOHUGEPAGE,
 *	and read-faults one byte every STEP_MIB MiB (a zero-page PTE, and so a
 *	PTE table of 512 entries to walk, per touch), then sleeps.  For each
 *	READER, first one full read is timed here (and its page count checked
 *	against the touches, where the reader gives one); then KILLS times a
 *	child reads in a loop, a new read starts, and after a random delay in
 *	[20, 200] ms (at most 90% of a full read) into it the child gets
 *	SIGKILL: the time from kill() to waitpid()'s return is its latency.
 *	Prints per reader:
 *	  killlat_READER read_ms R p50_ms P max_ms M kills K min_into_ms D
 *	READER: proc (/proc/vmainfo/PID read), pagemap (the debugfs page map,
 *	the pid written), share (/proc/vmainfo/share, the pid written), ioctl
 *	(VMAINFO_PROCMAP_QUERY with the tail, VMAINFO_QUERY_SIZE_VER1, on
 *	/proc/vmainfo/PID for an address in the big VMA), smaps
 *	(/proc/PID/smaps, the kernel's, for reference).
 *
 *   killlat impact SECONDS ROUNDS [none|ioctl|smaps...]
 *	A target with a 128 GiB VMA (a zero page every 2 MiB: 65536 PTE tables;
 *	vmibench's 16 GiB VMA is a hold of about 20 ms under TCG, within the
 *	emulator's own scheduling noise) loops mmap()+munmap() of one page for
 *	SECONDS (at least 1000 pairs) while nobody, the ioctl (as above, on the
 *	big VMA) or smaps reads it in a loop (those named, else all three);
 *	prints "impact_WHO_us p50 p99 max pairs", each the median over ROUNDS
 *	rounds, as vmibench impact does for the file readers (smaps holds the
 *	lock for a whole VMA before 7.2: seconds a round here), and
 *	impact_ioctl_read_ms, the time of one ioctl before
 *	the target starts (one whole walk: a reader that held the lock for it
 *	would make the target's p99 about that long).
 *
 *   killlat churn PID BIG PAGES N
 *	N PROCMAP_QUERY calls with the tail on /proc/vmainfo/PID at addresses
 *	spread over [BIG, BIG + PAGES * 2 MiB), a VMA with one page present
 *	every 2 MiB that workload bigrw churn splits and merges (mprotect() of
 *	2 MiB slices) while it is read: an answer within that range must count
 *	exactly one present page per 2 MiB of its bounds, however often its
 *	walk gave the lock up or was restarted because its VMA changed.
 *
 * Exit 0, 1 when a reader failed (an error, a wrong count, a child that did
 * not die of the SIGKILL), 2 when it could not run.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vmainfo_abi.h"
#include "wl.h"
#include "lat.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BUFSZ		(1 << 20)
#define DELAY_MIN_MS	20.0
#define DELAY_MAX_MS	200.0

static char *buf;
static pid_t target;
static unsigned long big, big_pages;
static int failed;

/* What a reader child shares with the parent: when its current read began. */
struct shared {
	uint64_t reads;		/* reads begun */
	uint64_t start_us;	/* CLOCK_MONOTONIC of the last begun (atomics) */
};
static struct shared *sh;

static double start_ms(void)
{
	return __atomic_load_n(&sh->start_us, __ATOMIC_SEQ_CST) / 1e3;
}

static void sleep_until_ms(double t)
{
	struct timespec ts = { .tv_sec = (time_t)(t / 1e3) };

	ts.tv_nsec = (long)((t - ts.tv_sec * 1e3) * 1e6);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Read @fd to its end; -1 on an error. */
static int drain(int fd)
{
	ssize_t r;

	while ((r = read(fd, buf, BUFSZ)) > 0)
		;
	return r < 0 ? -1 : 0;
}

/* Open @path and, for a file that needs one, write the target's pid to it. */
static int open_sel(const char *path, bool sel)
{
	char p[32];
	int fd = open(path, sel ? O_RDWR : O_RDONLY);

	if (fd < 0)
		return -1;
	snprintf(p, sizeof(p), "%d", target);
	if (sel && write(fd, p, strlen(p)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The present column of the big VMA's line in the text just read into buf. */
static long text_present(size_t len)
{
	char key[32];
	char *l;

	buf[len < BUFSZ ? len : BUFSZ - 1] = '\0';
	snprintf(key, sizeof(key), "\n%08lx-", big);
	l = strstr(buf, key);
	if (!l)
		return -1;
	/* start-end perms offset dev inode flags kind present */
	for (int col = 1; col < 8; col++) {
		l = strchr(l + 1, ' ');
		if (!l)
			return -1;
	}
	return atol(l + 1);
}

/*
 * One full read by @reader; @fd is the ioctl's open file.  Returns 0, or -1
 * on an error; *@present is the big VMA's present count where the reader
 * gives one (else -1).
 */
static int read_once(const char *reader, int fd, long *present)
{
	char path[64];
	int f, r;

	*present = -1;
	if (!strcmp(reader, "ioctl")) {
		struct vmainfo_query q;

		memset(&q, 0, sizeof(q));
		q.pmq.size = VMAINFO_QUERY_SIZE_VER1;
		q.pmq.query_addr = big + PAGE;
		if (ioctl(fd, VMAINFO_PROCMAP_QUERY, &q) < 0)
			return -1;
		if (q.pmq.vma_start != big)
			return errno = EPROTO, -1;
		*present = (long)q.present;
		return 0;
	}
	if (!strcmp(reader, "proc")) {
		ssize_t n, len = 0;

		snprintf(path, sizeof(path), "/proc/vmainfo/%d", target);
		f = open(path, O_RDONLY);
		if (f < 0)
			return -1;
		/* the whole text fits the buffer: a few small VMAs and the big one */
		while ((n = read(f, buf + len, BUFSZ - 1 - len)) > 0)
			len += n;
		close(f);
		if (n < 0)
			return -1;
		*present = text_present((size_t)len);
		return 0;
	}
	if (!strcmp(reader, "pagemap"))
		f = open_sel("/sys/kernel/debug/vmainfo/pagemap", true);
	else if (!strcmp(reader, "share"))
		f = open_sel("/proc/vmainfo/share", true);
	else if (!strcmp(reader, "smaps")) {
		snprintf(path, sizeof(path), "/proc/%d/smaps", target);
		f = open_sel(path, false);
	} else {
		errno = EINVAL;
		die("unknown reader %s", reader);
	}
	if (f < 0)
		return -1;
	r = drain(f);
	close(f);
	return r;
}

/* A reader child: reads in a loop, marking each read's start, until killed. */
static void reader_child(const char *reader)
{
	char path[64];
	long present;
	int fd = -1;

	if (!strcmp(reader, "ioctl")) {
		snprintf(path, sizeof(path), "/proc/vmainfo/%d", target);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			_exit(3);
	}
	for (;;) {
		__atomic_store_n(&sh->start_us, (uint64_t)(now_ms() * 1e3), __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&sh->reads, 1, __ATOMIC_SEQ_CST);
		if (read_once(reader, fd, &present))
			_exit(3);
	}
}

static void start_target(unsigned long gib, unsigned long step_mib)
{
	int p[2];

	if (pipe(p))
		die("pipe");
	target = fork();
	if (target < 0)
		die("fork");
	if (!target) {
		unsigned long len = gib << 30, step = step_mib << 20, n = 0;
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (m == MAP_FAILED || madvise(m, len, MADV_NOHUGEPAGE))
			_exit(1);
		for (unsigned long o = 0; o < len; o += step, n++)
			__atomic_load_n(m + o, __ATOMIC_RELAXED);	/* the zero page */
		big = (unsigned long)m;
		big_pages = n;
		if (write(p[1], &big, sizeof(big)) != sizeof(big) ||
		    write(p[1], &big_pages, sizeof(big_pages)) != sizeof(big_pages))
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &big, sizeof(big)) != sizeof(big) ||
	    read(p[0], &big_pages, sizeof(big_pages)) != sizeof(big_pages)) {
		errno = 0;
		die("the target could not map and touch %lu GiB (MAP_NORESERVE)", gib);
	}
	close(p[0]);
}

static void stop_target(void)
{
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
}

static void kill_one(const char *reader, int kills)
{
	double *lat = calloc((size_t)kills, sizeof(double));
	double t0, full, into_min = 1e9, p50;
	char path[64];
	long present;
	int fd = -1, k;

	if (!lat)
		die("calloc");
	if (!strcmp(reader, "ioctl")) {
		snprintf(path, sizeof(path), "/proc/vmainfo/%d", target);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die("open %s", path);
	}
	t0 = now_ms();
	if (read_once(reader, fd, &present)) {
		printf("# %s: a full read failed: %s\n", reader, strerror(errno));
		failed = 1;
		return;
	}
	full = now_ms() - t0;
	if (fd >= 0)
		close(fd);
	if (present >= 0 && (unsigned long)present != big_pages) {
		printf("# %s: the big VMA has %ld present pages, not the %lu touched\n",
		       reader, present, big_pages);
		failed = 1;
	}
	for (k = 0; k < kills; k++) {
		double delay = DELAY_MIN_MS + (DELAY_MAX_MS - DELAY_MIN_MS) * (rand() / (double)RAND_MAX);
		uint64_t seen;
		double kt, into;
		int status;
		pid_t c;

		if (delay > full * 0.9)
			delay = full * 0.9;
		__atomic_store_n(&sh->reads, 0, __ATOMIC_SEQ_CST);
		c = fork();
		if (c < 0)
			die("fork");
		if (!c)
			reader_child(reader);
		/* wait for a read to begin (the second: the first may open files) */
		while ((seen = __atomic_load_n(&sh->reads, __ATOMIC_SEQ_CST)) < 2) {
			if (waitpid(c, &status, WNOHANG) == c) {
				printf("# %s: the reader exited early (status %#x)\n", reader, status);
				failed = 1;
				goto next;
			}
			usleep(500);
		}
		sleep_until_ms(start_ms() + delay);
		kt = now_ms();
		into = kt - start_ms();	/* of the read in progress now */
		if (kill(c, SIGKILL))
			die("kill");
		if (waitpid(c, &status, 0) != c)
			die("waitpid");
		lat[k] = now_ms() - kt;
		if (into < into_min)
			into_min = into;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
			printf("# %s: the reader did not die of SIGKILL (status %#x)\n",
			       reader, status);
			failed = 1;
		}
next:
		;
	}
	p50 = median(lat, kills);	/* sorts */
	printf("killlat_%s read_ms %.1f p50_ms %.2f max_ms %.2f kills %d min_into_ms %.1f\n",
	       reader, full, p50, lat[kills - 1], kills, into_min);
	free(lat);
}

/* ---- impact: the target's mmap()+munmap() latency under an ioctl reader ---- */

#define IMPACT_LEN	(128UL << 30)	/* a zero page every 2 MiB: 65536 PTE tables */
#define IMPACT_STEP	(2UL << 20)

static double impact_read_ms;

static struct lat impact(const char *reader, double secs)
{
	int pfd[2], go[2];
	struct lat l;
	long present;
	char path[64];
	int fd = -1;
	char c;

	if (pipe(pfd) || pipe(go))
		die("pipe");
	target = fork();
	if (!target) {
		double *v = malloc(LAT_MAX * sizeof(*v));
		struct lat r = { 0 };
		cpu_set_t set;
		char *m;

		close(pfd[0]);
		close(go[1]);
		if (!v)
			_exit(1);
		/* the reader on the other CPU: this is lock contention */
		CPU_ZERO(&set);
		CPU_SET(0, &set);
		sched_setaffinity(0, sizeof(set), &set);
		m = mmap(NULL, IMPACT_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED || madvise(m, IMPACT_LEN, MADV_NOHUGEPAGE))
			_exit(1);
		for (unsigned long o = 0; o < IMPACT_LEN; o += IMPACT_STEP)
			__atomic_load_n(m + o, __ATOMIC_RELAXED);	/* the zero page */
		big = (unsigned long)m;
		if (write(pfd[1], &big, sizeof(big)) != sizeof(big) || read(go[0], &c, 1) != 1)
			_exit(1);
		r = lat_pairs(v, secs);
		if (write(pfd[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		while (read(go[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(pfd[1]);
	close(go[0]);
	if (read(pfd[0], &big, sizeof(big)) != sizeof(big))
		die("%s: the target could not map 128 GiB (MAP_NORESERVE)", __func__);
	big_pages = IMPACT_LEN / IMPACT_STEP;
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", target);
	for (int i = 0; i < 2000 && access(path, R_OK); i++)
		usleep(1000);	/* the entry follows the fork within milliseconds */
	if (reader && !strcmp(reader, "ioctl")) {
		double t0 = now_ms();

		fd = open(path, O_RDONLY);
		if (fd < 0 || read_once(reader, fd, &present))
			die("open and query %s", path);
		impact_read_ms = now_ms() - t0;	/* one whole walk, uncontended */
	}
	if (write(go[1], "g", 1) != 1)
		die("go");
	for (;;) {
		fd_set rs;
		struct timeval tv = { 0, 0 };

		FD_ZERO(&rs);
		FD_SET(pfd[0], &rs);
		if (select(pfd[0] + 1, &rs, NULL, NULL, &tv) > 0)
			break;
		if (!reader) {
			usleep(1000);
			continue;
		}
		if (read_once(reader, fd, &present)) {
			printf("# %s %s: a read failed: %s\n", __func__, reader, strerror(errno));
			failed = 1;
			usleep(1000);
		} else if (present >= 0 && (unsigned long)present != big_pages) {
			printf("# %s %s: %ld present pages, not %lu\n", __func__, reader, present,
			       big_pages);
			failed = 1;
		}
	}
	if (read(pfd[0], &l, sizeof(l)) != sizeof(l))
		die("%s: the target failed", __func__);
	if (fd >= 0)
		close(fd);
	close(go[1]);
	waitpid(target, NULL, 0);
	close(pfd[0]);
	return l;
}

static int churn(pid_t pid, unsigned long base, unsigned long pages, long n)
{
	unsigned long end = base + pages * IMPACT_STEP, inside = 0;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/vmainfo/%d", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	for (long i = 0; i < n; i++) {
		struct vmainfo_query q;

		memset(&q, 0, sizeof(q));
		q.pmq.size = VMAINFO_QUERY_SIZE_VER1;
		q.pmq.query_addr = base + (unsigned long)(i * 7919 % (long)pages) * IMPACT_STEP;
		if (ioctl(fd, VMAINFO_PROCMAP_QUERY, &q) < 0) {
			printf("# query %#llx: %s\n", (unsigned long long)q.pmq.query_addr,
			       strerror(errno));
			failed = 1;
			continue;
		}
		if (q.pmq.vma_start > q.pmq.query_addr || q.pmq.vma_end <= q.pmq.query_addr) {
			printf("# query %#llx: answered %#llx-%#llx\n",
			       (unsigned long long)q.pmq.query_addr,
			       (unsigned long long)q.pmq.vma_start, (unsigned long long)q.pmq.vma_end);
			failed = 1;
			continue;
		}
		if (q.pmq.vma_start < base || q.pmq.vma_end > end)
			continue;	/* merged with a neighbour: no exact count */
		inside++;
		/* the pages are at base + k * 2 MiB, the slices' bounds too */
		if (q.present != (q.pmq.vma_end - q.pmq.vma_start) / IMPACT_STEP || q.swap) {
			if (failed++ < 10)
				printf("# %#llx-%#llx: present %llu swap %llu, not %llu 0\n",
				       (unsigned long long)q.pmq.vma_start,
				       (unsigned long long)q.pmq.vma_end,
				       (unsigned long long)q.present, (unsigned long long)q.swap,
				       (unsigned long long)((q.pmq.vma_end - q.pmq.vma_start) /
							    IMPACT_STEP));
		}
	}
	close(fd);
	printf("# %ld queries, %lu within the big VMA's range\n", n, inside);
	return failed ? 1 : 0;
}

static int impact_all(double secs, int rounds, int argc, char **argv)
{
	static const char *const all[] = { "none", "ioctl", "smaps" };
	enum { NW = ARRAY_SIZE(all) };
	const char *who[NW];
	double *v[NW][3], *rd = calloc((size_t)rounds, sizeof(double));
	long n[NW] = { 0 };
	int nw = 0;

	/* the readers named (none, ioctl, smaps), else all three */
	for (int k = 0; k < NW; k++) {
		bool named = !argc;

		for (int i = 0; i < argc; i++)
			named |= !strcmp(argv[i], all[k]);
		if (named)
			who[nw++] = all[k];
	}

	for (int k = 0; k < NW; k++)
		for (int j = 0; j < 3; j++)
			v[k][j] = calloc((size_t)rounds, sizeof(double));
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < nw; k++) {
			struct lat l = impact(strcmp(who[k], "none") ? who[k] : NULL, secs);

			if (!strcmp(who[k], "ioctl"))
				rd[r] = impact_read_ms;
			v[k][0][r] = l.p50;
			v[k][1][r] = l.p99;
			v[k][2][r] = l.max;
			n[k] += l.n;
		}
	for (int k = 0; k < nw; k++)
		printf("impact_%s_us %.0f %.0f %.0f %ld\n", who[k], median(v[k][0], rounds),
		       median(v[k][1], rounds), median(v[k][2], rounds), n[k]);
	printf("impact_ioctl_read_ms %.1f\n", median(rd, rounds));
	return failed;
}

int main(int argc, char **argv)
{
	int kills;

	setvbuf(stdout, NULL, _IOLBF, 0);
	buf = malloc(BUFSZ);
	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!buf || sh == MAP_FAILED)
		die("memory");
	if (argc >= 4 && !strcmp(argv[1], "impact"))
		return impact_all(atof(argv[2]), atoi(argv[3]), argc - 4, argv + 4);
	if (argc == 6 && !strcmp(argv[1], "churn"))
		return churn(atoi(argv[2]), strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0),
			     atol(argv[5]));
	if (argc < 6 || strcmp(argv[1], "kill"))
		die("usage: killlat kill GIB STEP_MIB KILLS READER... | killlat impact SECONDS ROUNDS [WHO...] | killlat churn PID BIG PAGES N");
	kills = atoi(argv[4]);
	if (kills < 1 || atol(argv[2]) < 1 || atol(argv[3]) < 1)
		die("bad numbers");
	srand(18);	/* the same "random" moments on every run */
	start_target((unsigned long)atol(argv[2]), (unsigned long)atol(argv[3]));
	printf("# target %d: %s GiB VMA at %#lx, %lu zero-page PTEs (one per %s MiB)\n",
	       target, argv[2], big, big_pages, argv[3]);
	for (int i = 5; i < argc; i++)
		kill_one(argv[i], kills);
	stop_target();
	return failed;
}
