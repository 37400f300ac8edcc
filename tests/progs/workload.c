// SPDX-License-Identifier: GPL-2.0
/*
 * workload SCENARIO [ARGS]: build an address space whose layout is known by
 * construction, print what was built as "key=value" lines on stdout, then
 * stop itself (SIGSTOP) so a test can read it still.  After SIGCONT the next
 * phase runs; the last one exits.
 */
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "wl.h"

static void phase(void)
{
	fflush(stdout);
	raise(SIGSTOP);
}

static void *xmmap(size_t len, int prot, int flags, int fd)
{
	void *p = mmap(NULL, len, prot, flags, fd, 0);

	if (p == MAP_FAILED)
		die("mmap %zu", len);
	return p;
}

/* A private anonymous mapping that cannot merge: PROT_NONE guard pages around it. */
#define VMI_MADV_GUARD_INSTALL 102	/* uapi asm-generic/mman-common.h, 6.13 */

static char *xmmap_iso(size_t len, int flags)
{
	char *p = xmmap(len + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1);

	if (mprotect(p + PAGE, len, PROT_READ | PROT_WRITE))
		die("mprotect");
	return p + PAGE;
}

static void touch(char *p, size_t len, size_t step)
{
	size_t i;

	for (i = 0; i < len; i += step)
		p[i] = 1;
}

static int heap(void)
{
	static void *small[1000];
	char *big;
	int i;

	mallopt(M_MMAP_THRESHOLD, 128 * 1024);	/* glibc's default, made explicit */
	printf("start_brk=%p\n", sbrk(0));
	for (i = 0; i < 1000; i++) {
		small[i] = malloc(64);
		memset(small[i], 1, 64);
	}
	big = malloc(1 << 20);
	memset(big, 1, 1 << 20);
	printf("brk=%p\nbig=%p\n", sbrk(0), (void *)big);
	phase();
	free(big);
	for (i = 999; i >= 0; i--)
		free(small[i]);
	malloc_trim(0);
	printf("brk=%p\n", sbrk(0));
	phase();
	/* explicit sbrk growth, then shrink by one page: brk need not be aligned */
	sbrk(3 * PAGE + 100);
	touch((char *)sbrk(0) - 100, 1, 1);
	printf("brk=%p\n", sbrk(0));
	phase();
	sbrk(-(intptr_t)PAGE);
	printf("brk=%p\n", sbrk(0));
	phase();
	/* mprotect one page inside the heap: the heap is split */
	{
		char *b = sbrk(0);
		char *mid = (char *)(((uintptr_t)b - 2 * PAGE) & ~(PAGE - 1));

		if (mprotect(mid, PAGE, PROT_READ))
			die("mprotect heap");
		printf("brk=%p\nsplit=%p\n", (void *)b, (void *)mid);
	}
	phase();
	return 0;
}

static int shapes(void)
{
	char *a = xmmap(3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	char *b = xmmap(3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	char *s, *pf, *sf, *df, *sp;
	int fd;

	touch(a, 3 * PAGE, PAGE);
	touch(b, 3 * PAGE, PAGE);
	if (mprotect(a + PAGE, PAGE, PROT_READ))
		die("mprotect");
	if (munmap(b + PAGE, PAGE))
		die("munmap");
	s = xmmap(2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	touch(s, 2 * PAGE, PAGE);

	fd = open("/tmp/a file with spaces", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4 * PAGE))
		die("file");
	pf = xmmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
	sf = xmmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	touch(pf, PAGE, PAGE);
	touch(sf + PAGE, 2 * PAGE, PAGE);
	close(fd);
	fd = open("/tmp/deleted-later", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, PAGE))
		die("file2");
	df = xmmap(PAGE, PROT_READ, MAP_SHARED, fd);
	close(fd);
	unlink("/tmp/deleted-later");
	sp = xmmap(PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);

	printf("split=%p\nhole=%p\nshared_anon=%p\nprivate_file=%p\nshared_file=%p\n"
	       "deleted_file=%p\nprot_none=%p\n", (void *)a, (void *)b, (void *)s,
	       (void *)pf, (void *)sf, (void *)df, (void *)sp);
	phase();
	return 0;
}

static void *thread_fn(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int threads(void)
{
	pthread_attr_t attr;
	pthread_t t;
	void *stack;
	size_t size;
	int local;

	if (pthread_create(&t, NULL, thread_fn, NULL))
		die("pthread_create");
	if (pthread_getattr_np(t, &attr) || pthread_attr_getstack(&attr, &stack, &size))
		die("getattr");
	printf("main_stack=%p\nthread_stack=%p\nthread_stack_size=%zu\n", (void *)&local,
	       stack, size);
	phase();
	return 0;
}

/* N VMAs: one mapping whose pages alternate between two protections. */
static int many(long n)
{
	size_t len = (size_t)n * PAGE, i;
	char *p = xmmap(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);

	touch(p, len, PAGE);
	for (i = 1; i < (size_t)n; i += 2)
		if (mprotect(p + i * PAGE, PAGE, PROT_READ))
			die("mprotect %zu", i);
	printf("base=%p\nvmas=%ld\n", (void *)p, n);
	phase();
	return 0;
}

/*
 * Page states for the page-map tests: every other page, an irregular
 * pattern, a sparse 64 GiB NORESERVE mapping, a THP region, MADV_DONTNEED,
 * mlock, a file mapping, and (with swap) pages pushed out with MADV_PAGEOUT.
 */
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
static int pages(void)
{
	char *alt = xmmap_iso(256 * PAGE, 0);
	char *irr = xmmap_iso(512 * PAGE, 0);
	char *sparse = xmmap_iso(64UL << 30, MAP_NORESERVE);
	char *raw = xmmap_iso(8UL << 20, 0);
	char *thp = (char *)(((uintptr_t)raw + (4UL << 20) - 1) & ~((4UL << 20) - 1));
	char *dn = xmmap_iso(64 * PAGE, 0);
	char *lk = xmmap_iso(16 * PAGE, 0);
	char *out = xmmap_iso(64 * PAGE, 0);
	char *small = xmmap_iso(1024 * PAGE, 0);
	char *f, path[] = "/tmp/pages-file";
	size_t i, k, len;
	int fd;

	for (i = 0; i < 256; i += 2)
		alt[i * PAGE] = 1;
	for (i = 0; i < 512; i++)
		if ((i * i + 3 * i) % 7 < 3)
			irr[i * PAGE] = 1;
	for (i = 0; i < (64UL << 30); i += 2UL << 20)
		sparse[i] = 1;
	if (madvise(thp, 4UL << 20, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE");
	memset(thp, 1, 4UL << 20);
	touch(dn, 64 * PAGE, PAGE);
	if (madvise(dn + 16 * PAGE, 32 * PAGE, MADV_DONTNEED))
		die("MADV_DONTNEED");
	if (mlock(lk, 16 * PAGE))
		die("mlock");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 64 * PAGE))
		die("file");
	f = xmmap(64 * PAGE, PROT_READ, MAP_SHARED, fd);
	close(fd);
	for (i = 0; i < 64; i += 3)
		(void)*(volatile char *)(f + i * PAGE);
	for (i = 0; i < 64; i++)
		out[i * PAGE] = (char)i;
	/*
	 * small: VMAs of 1 to 3 pages sharing PTE tables, with holes, touched
	 * in an irregular pattern (the VMA text reads a table once for many VMAs).
	 */
	for (i = 0; i < 1024; i++)
		if ((i * i + 5 * i) % 11 < 5)
			small[i * PAGE] = 1;
	for (i = 0, k = 0; i < 1024; i += len, k++) {
		len = 1 + (i * 7) % 3;
		if (len > 1024 - i)
			len = 1024 - i;
		if (k % 6 == 5 ? munmap(small + i * PAGE, len * PAGE) :
		    k % 2 ? mprotect(small + i * PAGE, len * PAGE, PROT_READ) : 0)
			die("small VMAs");
	}
	printf("alt=%p\nirr=%p\nsparse=%p\nthp=%p\ndontneed=%p\nmlock=%p\nfile=%p\nout=%p\n"
	       "small=%p\n", (void *)alt, (void *)irr, (void *)sparse, (void *)thp, (void *)dn,
	       (void *)lk, (void *)f, (void *)out, (void *)small);
	phase();
	/* with swap on: push 'out' to swap */
	printf("pageout=%d\n", madvise(out, 64 * PAGE, MADV_PAGEOUT) ? errno : 0);
	for (i = 0; i < 1024; i += 64)	/* a part of each small VMA region, holes too */
		madvise(small + i * PAGE, 24 * PAGE, MADV_PAGEOUT);
	phase();
	/* fork: the child shares every anonymous page copy-on-write */
	{
		pid_t c = fork();

		if (c < 0)
			die("fork");
		if (!c) {
			raise(SIGSTOP);		/* shared, before the child writes */
			for (i = 0; i < 256; i++)
				alt[i * PAGE] = 2;
			raise(SIGSTOP);		/* after it wrote */
			_exit(0);
		}
		printf("child=%d\n", c);
		phase();
	}
	return 0;
}

/*
 * pcpu: pinned to CPU 1, stop; then touch as many fresh pages as the file
 * /tmp/pcpu-k says, and stop again.
 */
static int pcpu(void)
{
	char *p = xmmap_iso(256 * PAGE, 0);
	cpu_set_t set;
	volatile char stack[64 * 1024];
	char kbuf[16] = "";
	int k = 0, i, fd;

	memset((char *)stack, 0, sizeof(stack));	/* no stack faults later */
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
	printf("region=%p\n", (void *)p);
	phase();
	/* read(2) into the stack: no malloc, so no fault but the k touches */
	fd = open("/tmp/pcpu-k", O_RDONLY);
	if (fd < 0 || read(fd, kbuf, sizeof(kbuf) - 1) <= 0)
		die("read /tmp/pcpu-k");
	close(fd);
	k = atoi(kbuf);
	if (k < 0 || k > 256)
		die("bad k %d", k);
	for (i = 0; i < k; i++)
		p[i * PAGE] = 1;
	printf("touched=%d\n", k);
	phase();
	return stack[0];
}

/*
 * trace FACTS: the known sequence for 'vmainfo watch', between two markers
 * (madvise of length 0 at 0x1000 and 0x2000); what sbrk(0) and malloc said
 * goes to the file FACTS, not stdout.
 */
static int trace(const char *facts)
{
	static void *small[1000];
	FILE *f;
	char *big;
	int i;

	madvise((void *)0x1000, 0, MADV_NORMAL);	/* main() starts */
	f = fopen(facts, "w");
	if (!f)
		die("open %s", facts);
	fprintf(f, "pid=%d\nbrk0=%p\n", getpid(), sbrk(0));
	for (i = 0; i < 1000; i++)
		small[i] = malloc(64);
	{
		uintptr_t lo = (uintptr_t)small[0], hi = lo;

		for (i = 1; i < 1000; i++) {
			lo = (uintptr_t)small[i] < lo ? (uintptr_t)small[i] : lo;
			hi = (uintptr_t)small[i] > hi ? (uintptr_t)small[i] : hi;
		}
		fprintf(f, "small_lo=0x%lx\nsmall_hi=0x%lx\n", (unsigned long)lo,
			(unsigned long)hi + 64);
	}
	fprintf(f, "brk1=%p\n", sbrk(0));
	big = malloc(1 << 20);
	fprintf(f, "big=%p\n", (void *)big);
	free(big);
	for (i = 999; i >= 0; i--)
		free(small[i]);
	malloc_trim(0);
	fprintf(f, "brk2=%p\n", sbrk(0));
	sbrk(65536);
	fprintf(f, "brk3=%p\n", sbrk(0));
	sbrk(-65536);
	fprintf(f, "brk4=%p\n", sbrk(0));
	fclose(f);
	madvise((void *)0x2000, 0, MADV_NORMAL);	/* done */
	return 0;
}

/*
 * edge TASK_SIZE: the last page below TASK_SIZE can be mapped, TASK_SIZE
 * itself cannot (MAP_FIXED_NOREPLACE, so the hint is taken exactly).
 */
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
static int edge(unsigned long ts)
{
	void *below = mmap((void *)(ts - PAGE), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			   MAP_FIXED_NOREPLACE, -1, 0);
	void *at = mmap((void *)ts, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			MAP_FIXED_NOREPLACE, -1, 0);

	printf("below=%s\nat=%s\n", below == (void *)(ts - PAGE) ? "mapped" : "refused",
	       at == MAP_FAILED ? "refused" : "mapped");
	return 0;
}

/* Benchmark shapes: sparse 64 GiB, dense 512 MiB, 1 GiB of THP. */
static int bench_shape(const char *what)
{
	size_t i;

	if (!strcmp(what, "sparse")) {
		char *p = xmmap_iso(64UL << 30, MAP_NORESERVE);

		for (i = 0; i < (64UL << 30); i += 2UL << 20)
			p[i] = 1;
	} else if (!strcmp(what, "dense")) {
		char *p = xmmap_iso(512UL << 20, 0);

		touch(p, 512UL << 20, PAGE);
	} else if (!strcmp(what, "thp")) {
		char *raw = xmmap_iso((1UL << 30) + (2UL << 20), 0);
		char *p = (char *)(((uintptr_t)raw + (2UL << 20) - 1) & ~((2UL << 20) - 1));

		if (madvise(p, 1UL << 30, MADV_HUGEPAGE))
			die("MADV_HUGEPAGE");
		touch(p, 1UL << 30, PAGE);
	} else {
		errno = 0;
		die("bench shape %s", what);
	}
	phase();
	return 0;
}

/* Churn: reshape mappings forever (for concurrent readers). */
static int churn(void)
{
	char *base = xmmap(64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	unsigned long i;

	printf("base=%p\n", (void *)base);
	fflush(stdout);
	for (i = 0;; i++) {
		char *p = xmmap(PAGE * (1 + i % 7), PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1);

		touch(p, PAGE, PAGE);
		/* pages 0..31 change protection; 32..63 are written and dropped */
		mprotect(base + (i % 32) * PAGE, PAGE, (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE);
		base[(32 + (i + 5) % 32) * PAGE] = 1;
		madvise(base + (32 + (i + 9) % 32) * PAGE, PAGE, MADV_DONTNEED);
		munmap(p, PAGE * (1 + i % 7));
	}
	return 0;
}

static int coverage_scenario(int argc, char **argv, int *rc);

/*
 * hugeprot: a 1 GiB hugetlb page and two 2 MiB hugetlb pages (each only if the
 * kernel has one reserved; else its address is printed as 0) and a 4 MiB
 * MADV_HUGEPAGE region, all written.  Stops three times: read-write, then
 * all PROT_NONE, then read-write again.  Prints hp1g=, hp2m=, thp=.
 */
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
static char *huge_map(size_t len, int shift)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_HUGETLB | (shift << MAP_HUGE_SHIFT), -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	touch(p, len, PAGE);	/* would SIGBUS without a reserved page: none is */
	return p;
}

static int hugeprot(void)
{
	char *g = huge_map(1UL << 30, 30), *m = huge_map(4UL << 20, 21);
	char *raw = xmmap_iso(6UL << 20, 0);
	char *t = (char *)(((uintptr_t)raw + (2UL << 20) - 1) & ~((2UL << 20) - 1));
	int prot[] = { PROT_NONE, PROT_READ | PROT_WRITE }, i;

	if (madvise(t, 4UL << 20, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE");
	touch(t, 4UL << 20, PAGE);
	printf("hp1g=0x%lx\nhp2m=0x%lx\nthp=0x%lx\n", (unsigned long)g, (unsigned long)m,
	       (unsigned long)t);
	phase();
	for (i = 0; i < 2; i++) {
		if ((g && mprotect(g, 1UL << 30, prot[i])) ||
		    (m && mprotect(m, 4UL << 20, prot[i])) || mprotect(t, 4UL << 20, prot[i]))
			die("mprotect %d", prot[i]);
		phase();
	}
	return 0;
}

/*
 * conthuge (arm64): two 64 KiB hugetlb pages (16 contiguous PTEs each) and
 * one 32 MiB hugetlb page (16 contiguous PMDs), written; then PROT_NONE.
 */
static int conthuge(void)
{
	char *c = huge_map(128UL << 10, 16), *d = huge_map(32UL << 20, 25);

	printf("hp64k=0x%lx\nhp32m=0x%lx\n", (unsigned long)c, (unsigned long)d);
	phase();
	if ((c && mprotect(c, 128UL << 10, PROT_NONE)) ||
	    (d && mprotect(d, 32UL << 20, PROT_NONE)))
		die("mprotect PROT_NONE");
	phase();
	return 0;
}

/*
 * contpte (arm64, with 64 KiB mTHP on): 16 blocks of 64 KiB, one byte
 * written in each (each fault maps a whole 64 KiB folio: 16 contiguous PTEs);
 * then, after the test's clear_refs=1 (and a stop with nothing read), only
 * the first 4 KiB of each block read again, so only the first PTE of each
 * block is young.
 */
static int contpte(void)
{
	char *raw = xmmap((1UL << 20) + (64UL << 10), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1);
	volatile char *p = (char *)(((uintptr_t)raw + (64UL << 10) - 1) & ~((64UL << 10) - 1));
	size_t i;

	for (i = 0; i < (1UL << 20); i += 64UL << 10)
		p[i] = 1;
	printf("cont=%p\n", (void *)p);
	phase();
	phase();	/* the test's clear_refs=1: nothing read yet */
	for (i = 0; i < (1UL << 20); i += 64UL << 10)
		(void)p[i];
	phase();
	return 0;
}

/*
 * bigrw [churn]: a 16 GiB MAP_NORESERVE VMA with one page written every
 * 2 MiB (8192 pages, 8192 PTE tables), stop; then, until killed, map, touch
 * and unmap one page elsewhere in a loop: a writer that waits for the mmap
 * lock while a reader walks the big VMA.  The big VMA never changes, so its
 * line must always count 8192 present pages.  With "churn" the loop also
 * mprotect()s 2 MiB slices of the big VMA back and forth (splitting and
 * merging it), for readers whose VMA changes while they gave up the lock.
 */
#define BIGRW_LEN	(16UL << 30)
#define BIGRW_STEP	(2UL << 20)
static int bigrw(bool churn)
{
	char *big = xmmap(BIGRW_LEN, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
	unsigned long i;

	for (i = 0; i < BIGRW_LEN; i += BIGRW_STEP)
		big[i] = 1;
	printf("big=%p\npages=%lu\n", (void *)big, BIGRW_LEN / BIGRW_STEP);
	phase();
	for (i = 0;; i++) {
		char *p = xmmap(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);

		*(volatile char *)p = 1;
		munmap(p, PAGE);
		if (churn)
			mprotect(big + (i * 7919 % (BIGRW_LEN / BIGRW_STEP)) * BIGRW_STEP,
				 BIGRW_STEP, (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i_rc = 0;

	/* trace first: its start marker must come before any malloc of ours */
	if (argc > 2 && !strcmp(argv[1], "trace"))
		return trace(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die("usage: workload heap|shapes|threads|many N|pages|churn");
	printf("pid=%d\n", getpid());
	if (!strcmp(argv[1], "heap"))
		return heap();
	if (!strcmp(argv[1], "shapes"))
		return shapes();
	if (!strcmp(argv[1], "threads"))
		return threads();
	if (!strcmp(argv[1], "many") && argc > 2)
		return many(atol(argv[2]));
	if (!strcmp(argv[1], "bench") && argc > 2)
		return bench_shape(argv[2]);
	if (!strcmp(argv[1], "comm")) {
		/* a name that would forge a header line if printed raw */
		prctl(PR_SET_NAME, "x\nbrk: 0x1");
		phase();
		return 0;
	}
	if (!strcmp(argv[1], "edge") && argc > 2)
		return edge(strtoul(argv[2], NULL, 0));
	if (!strcmp(argv[1], "pcpu"))
		return pcpu();
	if (!strcmp(argv[1], "pages"))
		return pages();
	if (!strcmp(argv[1], "churn"))
		return churn();
	if (!strcmp(argv[1], "bigrw"))
		return bigrw(argc > 2 && !strcmp(argv[2], "churn"));
	if (!strcmp(argv[1], "hugeprot"))
		return hugeprot();
	if (!strcmp(argv[1], "conthuge"))
		return conthuge();
	if (!strcmp(argv[1], "contpte"))
		return contpte();
	if (coverage_scenario(argc, argv, &i_rc))
		return i_rc;
	errno = 0;
	die("unknown scenario %s", argv[1]);
}

/* ---------------------------------------------------------------------------
 * Coverage scenarios (issue 19): page flags, huge pages, text kinds, heap
 * layouts, VmHWM, mmap_base, P4D tables, files on other filesystems.
 * -------------------------------------------------------------------------*/
#include <sys/auxv.h>
#include <sys/personality.h>
#include <sys/resource.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

static char cov_bss[64 * 4096];

static char *xmmap_fixed(char *at, size_t len)
{
	return mmap(at, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}			/* a bss VMA beyond the file's pages */
static volatile int cov_data = 42;		/* initialised data */

static void rd(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += PAGE)
		(void)*(volatile char *)(p + i);
}

/*
 * pflags FILE: regions whose page-table flags are known by construction.
 *   wr  16 pages written            present dirty,young,write,softdirty
 *   rd  16 pages only read          present zero, not write, not dirty
 *   ro   8 pages of FILE, MAP_PRIVATE PROT_READ, read: present, not write/dirty
 * then, after the test wrote 4 to clear_refs: sd[0..7] written, sd[8..15] read;
 * after it wrote 1: yg[0..7] read; then a fork whose child writes cow.
 */
static int pflags(const char *file)
{
	char *wr = xmmap_iso(16 * PAGE, 0), *rdp = xmmap_iso(16 * PAGE, 0);
	char *sd = xmmap_iso(16 * PAGE, 0), *yg = xmmap_iso(16 * PAGE, 0);
	char *cow = xmmap_iso(16 * PAGE, 0), *ro;
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	pid_t c;

	if (fd < 0 || ftruncate(fd, 8 * PAGE))
		die("%s", file);
	ro = xmmap(8 * PAGE, PROT_READ, MAP_PRIVATE, fd);
	close(fd);
	touch(wr, 16 * PAGE, PAGE);
	rd(rdp, 16 * PAGE);
	rd(ro, 8 * PAGE);
	touch(sd, 16 * PAGE, PAGE);
	touch(yg, 16 * PAGE, PAGE);
	touch(cow, 16 * PAGE, PAGE);
	printf("wr=%p\nrd=%p\nro=%p\nsd=%p\nyg=%p\ncow=%p\n", (void *)wr, (void *)rdp,
	       (void *)ro, (void *)sd, (void *)yg, (void *)cow);
	phase();
	touch(sd, 8 * PAGE, PAGE);		/* after clear_refs 4 */
	rd(sd + 8 * PAGE, 8 * PAGE);
	phase();
	rd(yg, 8 * PAGE);			/* after clear_refs 1 */
	phase();
	c = fork();
	if (c < 0)
		die("fork");
	if (!c) {
		raise(SIGSTOP);			/* shared with the parent */
		touch(cow, 16 * PAGE, PAGE);
		raise(SIGSTOP);			/* after its own copies */
		_exit(0);
	}
	printf("child=%d\n", c);
	phase();
	return 0;
}

/*
 * huge: a 4 MiB MAP_HUGETLB region written (if the test reserved pages), a
 * 2 MiB MADV_HUGEPAGE region only read (the huge zero page), a 2 MiB one
 * written (a THP) and, if the test reserved one, a 1 GiB hugetlb page; then
 * mprotect(PROT_NONE) of the THP and the first hugetlb PMD.
 */
static char *aligned_iso(size_t len, size_t align)
{
	char *raw = xmmap_iso(len + align, 0);

	return (char *)(((uintptr_t)raw + align - 1) & ~(align - 1));
}

static int huge(void)
{
	char *ht = mmap(NULL, 4UL << 20, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	char *gig = mmap(NULL, 1UL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE |
			 MAP_ANONYMOUS | MAP_HUGETLB | (30 << MAP_HUGE_SHIFT), -1, 0);
	char *hz = aligned_iso(2UL << 20, 2UL << 20), *thp = aligned_iso(2UL << 20, 2UL << 20);

	if (ht != MAP_FAILED)
		touch(ht, 4UL << 20, PAGE);
	if (gig != MAP_FAILED)
		touch(gig, 1UL << 30, 2UL << 20);
	if (madvise(hz, 2UL << 20, MADV_HUGEPAGE) || madvise(thp, 2UL << 20, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE");
	rd(hz, 2UL << 20);
	memset(thp, 1, 2UL << 20);
	printf("hugetlb=%p\ngig=%p\nhzero=%p\nthp=%p\n", ht == MAP_FAILED ? NULL : (void *)ht,
	       gig == MAP_FAILED ? NULL : (void *)gig, (void *)hz, (void *)thp);
	phase();
	if (mprotect(thp, 2UL << 20, PROT_NONE) ||
	    (ht != MAP_FAILED && mprotect(ht, 2UL << 20, PROT_NONE)))
		die("mprotect PROT_NONE");
	phase();
	return 0;
}

/*
 * text: bss, data and vdso addresses; one VMA per VmFlags mnemonic the
 * construction sets; then the heap made empty, merged and unmapped by hand.
 */
static int text(void)
{
	char *lo = xmmap_iso(4 * PAGE, 0), *hg = xmmap_iso(4 * PAGE, 0);
	char *nh = xmmap_iso(4 * PAGE, 0), *nr = xmmap_iso(4 * PAGE, MAP_NORESERVE);
	char *dc = xmmap_iso(4 * PAGE, 0), *dd = xmmap_iso(4 * PAGE, 0);
	char *wf = xmmap_iso(4 * PAGE, 0), *rr = xmmap_iso(4 * PAGE, 0);
	char *sr = xmmap_iso(4 * PAGE, 0), *lf = xmmap_iso(4 * PAGE, 0);
	char *mg = xmmap_iso(4 * PAGE, 0), *gu = xmmap_iso(4 * PAGE, 0);
	char *gd = xmmap(4 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1);
	char *sh = xmmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	uintptr_t b;

	cov_bss[sizeof(cov_bss) - 1] = (char)cov_data;
	if (mlock(lo, 4 * PAGE) || madvise(hg, 4 * PAGE, MADV_HUGEPAGE) ||
	    madvise(nh, 4 * PAGE, MADV_NOHUGEPAGE) || madvise(dc, 4 * PAGE, MADV_DONTFORK) ||
	    madvise(dd, 4 * PAGE, MADV_DONTDUMP) || madvise(wf, 4 * PAGE, MADV_WIPEONFORK) ||
	    madvise(rr, 4 * PAGE, MADV_RANDOM) || madvise(sr, 4 * PAGE, MADV_SEQUENTIAL) ||
	    mlock2(lf, 4 * PAGE, MLOCK_ONFAULT))
		die("madvise/mlock");
	printf("mg_err=%d\n", madvise(mg, 4 * PAGE, MADV_MERGEABLE) ? errno : 0);
	/* a guard region (6.13+): smaps names the VMA's VM_MAYBE_GUARD "gu" (7.x) */
	printf("gu_err=%d\nflag_gu=%p\n", madvise(gu + PAGE, PAGE, VMI_MADV_GUARD_INSTALL) ? errno : 0,
	       (void *)gu);
#ifdef __aarch64__
	{
		/* arm64: an MTE-tagged VMA ("mt") and a BTI-guarded one ("bt") */
		char *mt = xmmap_iso(4 * PAGE, 0), *bt = xmmap_iso(4 * PAGE, 0);

		if (mprotect(mt, 4 * PAGE, PROT_READ | PROT_WRITE | PROT_MTE))
			die("mprotect PROT_MTE");
		if (mprotect(bt, 4 * PAGE, PROT_READ | PROT_EXEC | PROT_BTI))
			die("mprotect PROT_BTI");
		printf("flag_mt=%p\nflag_bt=%p\n", (void *)mt, (void *)bt);
	}
#endif
	printf("bss=%p\ndata=%p\nvdso=0x%lx\n", (void *)&cov_bss[sizeof(cov_bss) / 2],
	       (void *)&cov_data, getauxval(AT_SYSINFO_EHDR));
	printf("flag_lo=%p\nflag_hg=%p\nflag_nh=%p\nflag_nr=%p\nflag_dc=%p\nflag_dd=%p\n"
	       "flag_wf=%p\nflag_rr=%p\nflag_sr=%p\nflag_lf=%p\nflag_mg=%p\nflag_gd=%p\n"
	       "flag_sh=%p\n", (void *)lo, (void *)hg, (void *)nh, (void *)nr, (void *)dc,
	       (void *)dd, (void *)wf, (void *)rr, (void *)sr, (void *)lf, (void *)mg,
	       (void *)(gd + PAGE), (void *)sh);
	phase();
	/* empty: brk made page aligned, then start_brk moved up to it */
	b = (uintptr_t)sbrk(0);
	if (sbrk((intptr_t)(((b + PAGE - 1) & ~(PAGE - 1)) - b)) == (void *)-1)
		die("sbrk align");
	b = (uintptr_t)sbrk(0);
	if (prctl(PR_SET_MM, PR_SET_MM_START_BRK, b, 0, 0))
		die("PR_SET_MM_START_BRK");
	printf("brk=0x%lx\n", (unsigned long)b);
	phase();
	/*
	 * merged: the heap grows by 4 pages (a VMA of its own: brk() does not
	 * extend a VMA that starts below start_brk), then an anonymous mapping
	 * of equal flags right above it merges into the heap's VMA.
	 */
	if (sbrk(4 * PAGE) == (void *)-1)
		die("sbrk 4 pages");
	touch((char *)b, 4 * PAGE, PAGE);
	if (xmmap_fixed((char *)b + 4 * PAGE, 4 * PAGE) != (char *)b + 4 * PAGE)
		die("mmap above the heap");
	printf("brk=%p\n", sbrk(0));
	phase();
	/* unmapped: the heap's pages unmapped, the mapping above stays */
	if (munmap((void *)b, 4 * PAGE))
		die("munmap heap");
	phase();
	return 0;
}

/*
 * norand SCENARIO...: run the scenario again without address randomisation;
 * the kernel then computes mmap_base = PAGE_ALIGN(STACK_TOP - gap) (x86-64:
 * 2^47 - 4096, arm64: 2^48 whatever the VA size) with gap
 * the stack rlimit plus stack_guard_gap (1 MiB), clamped to at least 128 MiB.
 */
static int norand(int argc, char **argv)
{
	struct rlimit rl;
#ifdef __aarch64__
	unsigned long gap, ts = 1UL << 48;	/* arm64: STACK_TOP = DEFAULT_MAP_WINDOW_64 */
#else
	unsigned long gap, ts = (1UL << 47) - PAGE;
#endif

	if (!(personality(0xffffffff) & ADDR_NO_RANDOMIZE)) {
		if (personality(ADDR_NO_RANDOMIZE) < 0)
			die("personality");
		execv("/proc/self/exe", argv);
		die("exec");
	}
	if (getrlimit(RLIMIT_STACK, &rl))
		die("getrlimit");
	gap = rl.rlim_cur + (256UL << 12);
	if (rl.rlim_cur == RLIM_INFINITY || gap < rl.rlim_cur)
		gap = ts / 6 * 5;
	if (gap < (128UL << 20))
		gap = 128UL << 20;
	if (gap > ts / 6 * 5)
		gap = ts / 6 * 5;
	printf("want_mmap_base=0x%lx\n", (ts - gap + PAGE - 1) & ~(PAGE - 1));
	if (argc > 2 && !strcmp(argv[2], "bss")) {
		cov_bss[0] = 1;
		if (sbrk(4 * PAGE) == (void *)-1)
			die("sbrk");
		printf("bss=%p\n", (void *)&cov_bss[sizeof(cov_bss) / 2]);
		phase();
		return 0;
	}
	errno = 0;
	die("norand: unknown scenario");
}

/* hwm: 32 MiB touched then released: VmHWM stays, RSS drops. */
static int hwm(void)
{
	char *p = xmmap_iso(32UL << 20, 0);

	touch(p, 32UL << 20, PAGE);
	if (madvise(p, 32UL << 20, MADV_DONTNEED))
		die("MADV_DONTNEED");
	phase();
	touch(p, 4UL << 20, PAGE);	/* after clear_refs 5: 4 MiB again */
	if (madvise(p, 4UL << 20, MADV_DONTNEED))
		die("MADV_DONTNEED");
	phase();
	return 0;
}

/*
 * p4d: one page in the second PGD entry of the 5-level layout, touched:
 * x86-64 at 2^52 (above 2^47: only with 5-level paging), arm64 at 2^48
 * (PGDIR_SHIFT 48 with LPA2: only with 52-bit VA, where 5 levels are on).
 */
#ifdef __aarch64__
#define P4D_HIGH (1UL << 48)
#else
#define P4D_HIGH (1UL << 52)
#endif
static int p4d(void)
{
	void *hi = mmap((void *)P4D_HIGH, PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (hi != MAP_FAILED)
		*(volatile char *)hi = 1;
	printf("high=%s\n", hi == (void *)P4D_HIGH ? "mapped" : "refused");
	phase();
	return 0;
}

/* mapfile PATH: PATH mapped private and shared (read only), every page read. */
static int mapfile(const char *path)
{
	int fd = open(path, O_RDONLY);
	off_t len;
	char *a, *b;

	if (fd < 0 || (len = lseek(fd, 0, SEEK_END)) <= 0)
		die("%s", path);
	a = xmmap((size_t)len, PROT_READ, MAP_PRIVATE, fd);
	b = xmmap((size_t)len, PROT_READ, MAP_SHARED, fd);
	close(fd);
	rd(a, (size_t)len);
	rd(b, (size_t)len);
	printf("private=%p\nshared=%p\n", (void *)a, (void *)b);
	phase();
	return 0;
}

static int coverage_scenario(int argc, char **argv, int *rc)
{
	if (!strcmp(argv[1], "pflags") && argc > 2)
		*rc = pflags(argv[2]);
	else if (!strcmp(argv[1], "huge"))
		*rc = huge();
	else if (!strcmp(argv[1], "text"))
		*rc = text();
	else if (!strcmp(argv[1], "norand"))
		*rc = norand(argc, argv);
	else if (!strcmp(argv[1], "hwm"))
		*rc = hwm();
	else if (!strcmp(argv[1], "p4d"))
		*rc = p4d();
	else if (!strcmp(argv[1], "mapfile") && argc > 2)
		*rc = mapfile(argv[2]);
	else
		return 0;
	return 1;
}
