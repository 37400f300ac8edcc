// SPDX-License-Identifier: GPL-2.0
/*
 * sharecheck: the share view (/proc/vmainfo/share) against the kernel's own
 * files, and a workload for it.
 *
 *   sharecheck wl [FILE]       fork workload (below); prints key=value lines
 *   sharecheck cmp PID         every VMA line and the rollup against
 *                              /proc/PID/smaps and smaps_rollup: every key
 *                              smaps prints that a column stands for, exact
 *   sharecheck excl PID        per VMA: anon_excl against pagemap's bit 56
 *                              (present, not file, exclusive); for anonymous
 *                              VMAs anon_cow + zero against present, not
 *                              file, not exclusive
 *   sharecheck col PID ADDR COL   print column COL (kB) of the line at ADDR
 *                              ("rollup" for the rollup line)
 *
 * Exit 0 when everything agrees, 1 with the differences on stdout, 2 on error.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wl.h"
#include "vmainfo_abi.h"

#define MAXV 4096

static const struct vmainfo_share_col_def cols[] = { VMAINFO_SHARE_COLS(VMAINFO_SHARE_COL_INIT) };

struct row {
	unsigned long start, end;
	char perms[8];
	char val[VMAINFO_SHARE_NR][24];
};

static struct row rows[MAXV];
static int nrows;
static struct row rollup;
static int fails;

#define FAIL(...) do { printf(__VA_ARGS__); putchar('\n'); fails++; } while (0)

static char *slurp(const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || !buf)
		die("open %s", path);
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (len + 1 == cap && !(buf = realloc(buf, cap *= 2)))
			die("realloc");
	}
	if (n < 0)
		die("read %s", path);
	buf[len] = '\0';
	close(fd);
	return buf;
}

/* Select PID in /proc/vmainfo/share, read it all. */
static char *read_share(long pid)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap), arg[32];
	int fd = open("/proc/vmainfo/share", O_RDWR);
	ssize_t n;

	if (fd < 0 || !buf)
		die("open /proc/vmainfo/share");
	snprintf(arg, sizeof(arg), "%ld\n", pid);
	if (write(fd, arg, strlen(arg)) != (ssize_t)strlen(arg))
		die("write %s", arg);
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (len + 1 == cap && !(buf = realloc(buf, cap *= 2)))
			die("realloc");
	}
	if (n < 0)
		die("read share");
	buf[len] = '\0';
	close(fd);
	return buf;
}

static void parse_share(long pid)
{
	char *text = read_share(pid), *line, *save = NULL;
	int state = 0, i;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tok, *s2 = NULL;
		struct row *r;

		if (state == 0) {
			if (!strncmp(line, "range perms", 11)) {
				/* the column names must be vmainfo_abi.h's */
				tok = strtok_r(line + 11, " ", &s2);
				for (i = 0; i < VMAINFO_SHARE_NR; i++, tok = strtok_r(NULL, " ", &s2))
					if (!tok || strcmp(tok, cols[i].name))
						die("column %d is %s, not %s", i, tok ? tok : "-", cols[i].name);
				state = 1;
			}
			continue;
		}
		r = nrows < MAXV ? &rows[nrows] : NULL;
		if (!r)
			die("too many VMAs");
		if (sscanf(line, "%lx-%lx %7s", &r->start, &r->end, r->perms) != 3)
			die("bad line: %s", line);
		tok = strtok_r(line, " ", &s2);
		tok = strtok_r(NULL, " ", &s2);
		for (i = 0; i < VMAINFO_SHARE_NR; i++) {
			tok = strtok_r(NULL, " ", &s2);
			if (!tok)
				die("short line at %lx", r->start);
			snprintf(r->val[i], sizeof(r->val[i]), "%s", tok);
		}
		if (strtok_r(NULL, " ", &s2))
			die("long line at %lx", r->start);
		if (!strcmp(r->perms, "rollup")) {
			rollup = *r;
			state = 2;
		} else {
			if (state == 2)
				die("a VMA line after the rollup");
			nrows++;
		}
	}
	if (state != 2)
		die("no rollup line");
	free(text);
}

static struct row *row_at(unsigned long start)
{
	int i;

	for (i = 0; i < nrows; i++)
		if (rows[i].start == start)
			return &rows[i];
	return NULL;
}

/* Compare one smaps block (its "Key: N kB" lines from @b to @e) with @r. */
static int cmp_block(const char *what, char *b, char *e, struct row *r)
{
	int i, n = 0;

	for (i = 0; i < VMAINFO_SHARE_NR; i++) {
		char key[40], *k;
		long kb;

		if (!cols[i].smaps[0])
			continue;
		snprintf(key, sizeof(key), "\n%s:", cols[i].smaps);
		k = strstr(b - 1, key);
		if (!k || k >= e)
			continue;	/* this kernel's smaps has no such line here */
		kb = strtol(k + strlen(key), NULL, 10);
		if (!strcmp(r->val[i], "-")) {
			if (kb)
				printf("# %s %lx %s: absent here, smaps %ld kB\n", what,
				       r->start, cols[i].name, kb);
			continue;
		}
		if (strtol(r->val[i], NULL, 10) != kb)
			FAIL("%s %lx-%lx %s: vmainfo %s kB, smaps %s %ld kB", what, r->start,
			     r->end, cols[i].name, r->val[i], cols[i].smaps, kb);
		n++;
	}
	return n;
}

static int is_vma_line(const char *l)
{
	unsigned long a, b;
	char c;

	return sscanf(l, "%lx-%lx %c", &a, &b, &c) == 3;
}

static int run_cmp(long pid)
{
	char path[64], *sm, *p, *next, *ru;
	int seen = 0, keys = 0;
	unsigned long a, b;

	parse_share(pid);
	snprintf(path, sizeof(path), "/proc/%ld/smaps", pid);
	sm = slurp(path);
	for (p = sm; p && *p; p = next) {
		struct row *r;
		char *e;

		/* the block runs to the next VMA header line */
		for (e = strchr(p, '\n'); e && e[1] && !is_vma_line(e + 1); e = strchr(e + 1, '\n'))
			;
		next = e ? e + 1 : NULL;
		if (sscanf(p, "%lx-%lx", &a, &b) != 2)
			die("smaps: %.40s", p);
		if (strstr(p, "[vsyscall]") && strstr(p, "[vsyscall]") < strchr(p, '\n'))
			continue;	/* not a VMA of the process */
		r = row_at(a);
		if (!r || r->end != b) {
			FAIL("smaps VMA %lx-%lx: no such line in the share view", a, b);
			continue;
		}
		seen++;
		keys += cmp_block("vma", strchr(p, '\n') + 1, e ? e + 1 : p + strlen(p), r);
	}
	if (seen != nrows)
		FAIL("smaps has %d VMAs, the share view %d", seen, nrows);
	/* columns in whole pages add up exactly: the rollup is the lines' sum */
	{
		static const int exact[] = { VMAINFO_SHARE_rss, VMAINFO_SHARE_shared_clean,
			VMAINFO_SHARE_shared_dirty, VMAINFO_SHARE_private_clean,
			VMAINFO_SHARE_private_dirty, VMAINFO_SHARE_anonymous,
			VMAINFO_SHARE_swap, VMAINFO_SHARE_anon_excl, VMAINFO_SHARE_anon_cow,
			VMAINFO_SHARE_zero };
		unsigned int k;
		int i;

		for (k = 0; k < sizeof(exact) / sizeof(exact[0]); k++) {
			long sum = 0;

			for (i = 0; i < nrows; i++)
				sum += strtol(rows[i].val[exact[k]], NULL, 10);
			if (sum != strtol(rollup.val[exact[k]], NULL, 10))
				FAIL("rollup %s %s kB, the lines add up to %ld kB",
				     cols[exact[k]].name, rollup.val[exact[k]], sum);
		}
	}
	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", pid);
	ru = slurp(path);
	if (sscanf(ru, "%lx-%lx", &a, &b) != 2)
		die("smaps_rollup: %.40s", ru);
	if (a != rollup.start || b != rollup.end)
		FAIL("rollup range %lx-%lx, smaps_rollup %lx-%lx", rollup.start, rollup.end, a, b);
	keys += cmp_block("rollup", strchr(ru, '\n') + 1, ru + strlen(ru), &rollup);
	printf("# %d VMAs, %d values compared, %d differ\n", seen, keys, fails);
	return fails ? 1 : 0;
}

/* Anonymous VMAs: no name in maps, or [heap] or [stack]. */
static int anon_vma(const char *maps, unsigned long start)
{
	char key[32], *l, *nl;
	int fields;

	snprintf(key, sizeof(key), "%08lx-", start);
	for (l = strstr(maps, key); l && l != maps && l[-1] != '\n'; l = strstr(l + 1, key))
		;
	if (!l)
		return 0;
	nl = strchr(l, '\n');
	/* fields: range perms offset dev inode [name] */
	{
		char name[256] = "";

		fields = sscanf(l, "%*s %*s %*s %*s %*s %255[^\n]", name);
		if (nl && strchr(name, '\n'))
			return 0;
		if (fields < 1 || !name[0])
			return !strstr(l, " 00:00 0 ") ? 0 : 1;
		return !strcmp(name, "[heap]") || !strcmp(name, "[stack]");
	}
}

static int run_excl(long pid)
{
	char path[64], *maps;
	int fd, i, checked = 0;

	parse_share(pid);
	snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
	maps = slurp(path);
	snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		unsigned long n = (r->end - r->start) / PAGE, j, ex = 0, nex = 0;
		uint64_t *pm = malloc(n * 8);

		if (!pm || pread(fd, pm, n * 8, r->start / PAGE * 8) != (ssize_t)(n * 8))
			die("pagemap %lx", r->start);
		for (j = 0; j < n; j++) {
			if (!(pm[j] >> 63 & 1) || (pm[j] >> 61 & 1))
				continue;	/* not present, or a file page */
			if (pm[j] >> 56 & 1)
				ex++;
			else
				nex++;
		}
		free(pm);
		if (strtoul(r->val[VMAINFO_SHARE_anon_excl], NULL, 10) != ex * PAGE / 1024)
			FAIL("%lx-%lx anon_excl %s kB, pagemap bit 56 on %lu anon pages (%lu kB)",
			     r->start, r->end, r->val[VMAINFO_SHARE_anon_excl], ex, ex * PAGE / 1024);
		if (anon_vma(maps, r->start) &&
		    strtoul(r->val[VMAINFO_SHARE_anon_cow], NULL, 10) +
		    strtoul(r->val[VMAINFO_SHARE_zero], NULL, 10) != nex * PAGE / 1024)
			FAIL("%lx-%lx anon_cow %s + zero %s kB, pagemap: %lu present anon pages without bit 56",
			     r->start, r->end, r->val[VMAINFO_SHARE_anon_cow],
			     r->val[VMAINFO_SHARE_zero], nex);
		checked++;
	}
	printf("# %d VMAs checked against pagemap, %d differ\n", checked, fails);
	return fails ? 1 : 0;
}

static int run_col(long pid, const char *addr, const char *col)
{
	struct row *r;
	int i;

	parse_share(pid);
	r = strcmp(addr, "rollup") ? row_at(strtoul(addr, NULL, 0)) : &rollup;
	if (!r)
		die("no line at %s", addr);
	for (i = 0; i < VMAINFO_SHARE_NR; i++)
		if (!strcmp(cols[i].name, col)) {
			printf("%s\n", r->val[i]);
			return 0;
		}
	die("no column %s", col);
}

/* ---- the workload ---- */

static void phase(void)
{
	fflush(stdout);
	raise(SIGSTOP);
}

static char *map(size_t len, int prot, int flags, int fd)
{
	char *p = mmap(NULL, len, prot, flags, fd, 0);

	if (p == MAP_FAILED)
		die("mmap %zu", len);
	return p;
}

/* [PROT_NONE page][len][PROT_NONE page]: a VMA of its own */
static char *iso(size_t len, int flags, int fd)
{
	char *p = map(len + 2 * PAGE, PROT_NONE, flags, fd);

	if (mprotect(p + PAGE, len, PROT_READ | PROT_WRITE))
		die("mprotect");
	return p + PAGE;
}

/* 2 MiB aligned, 2 MiB long, MADV_HUGEPAGE */
static char *thp_region(void)
{
	char *p = map(4UL << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	char *a = (char *)(((uintptr_t)p + (2UL << 20) - 1) & ~((2UL << 20) - 1));

	if (mprotect(a, 2UL << 20, PROT_READ | PROT_WRITE))
		die("mprotect thp");
	madvise(a, 2UL << 20, MADV_HUGEPAGE);
	return a;
}

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/*
 * Phase 1 (parent and two children, all stopped): after fork, nothing
 * written.  Phase 2: child 1 wrote half of "anon" and one byte of "thp"
 * (a THP shared after fork, split by the write), child 2 wrote all of
 * "anon"; the parent wrote nothing.  Regions: anon (64 pages written before
 * fork), zero (16 pages only read), shanon (MAP_SHARED anonymous, 12
 * pages), shfile (MAP_SHARED of FILE, 12 pages), thp, thpzero (read only:
 * the huge zero page), locked (mlock, 8 pages), lazy (8 pages MADV_FREE),
 * swapped (8 pages MADV_PAGEOUT, if there is swap); the last two before
 * the fork, as both act only on pages mapped once.
 */
static int workload(const char *file)
{
	char *anon, *zero, *shanon, *shfile, *thp, *thpz, *locked, *lazy, *swp;
	volatile char sink;
	pid_t c1, c2;
	int fd, i, me;

	setvbuf(stdout, NULL, _IOLBF, 0);
	anon = iso(64 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset(anon, 1, 64 * PAGE);
	zero = iso(16 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (i = 0; i < 16; i++)
		sink = zero[i * PAGE];
	shanon = iso(12 * PAGE, MAP_SHARED | MAP_ANONYMOUS, -1);
	memset(shanon, 2, 12 * PAGE);
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 14 * PAGE))
		die("%s", file);
	shfile = iso(12 * PAGE, MAP_SHARED, fd);
	memset(shfile, 3, 12 * PAGE);
	thp = thp_region();
	memset(thp, 4, 2UL << 20);
	thpz = thp_region();
	for (i = 0; i < 512; i++)
		sink = thpz[i * PAGE];
	locked = iso(8 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (mlock(locked, 8 * PAGE))
		die("mlock");
	lazy = iso(8 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset(lazy, 5, 8 * PAGE);
	swp = iso(8 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset(swp, 6, 8 * PAGE);
	(void)sink;
	/* before the fork, while the pages are this process's alone */
	printf("madv_free=%d\n", madvise(lazy, 8 * PAGE, MADV_FREE) ? errno : 0);
	printf("pageout=%d\n", madvise(swp, 8 * PAGE, MADV_PAGEOUT) ? errno : 0);
	printf("pid=%d\nanon=%p\nzero=%p\nshanon=%p\nshfile=%p\nthp=%p\nthpzero=%p\n"
	       "locked=%p\nlazy=%p\nswapped=%p\n", getpid(), anon, zero, shanon, shfile,
	       thp, thpz, locked, lazy, swp);
	c1 = fork();
	if (c1 < 0)
		die("fork");
	me = c1 ? 0 : 1;
	if (c1) {
		c2 = fork();
		if (c2 < 0)
			die("fork");
		if (!c2)
			me = 2;
		else
			printf("c1=%d\nc2=%d\n", c1, c2);
	}
	if (me) {
		/* fork copies no PTEs of shared mappings: fault them in */
		for (i = 0; i < 12; i++)
			sink = shanon[i * PAGE] + shfile[i * PAGE];
	}
	phase();
	if (me == 1) {
		memset(anon, 7, 32 * PAGE);
		thp[0] = 8;
	} else if (me == 2) {
		memset(anon, 9, 64 * PAGE);
	}
	phase();
	if (me == 0) {
		kill(c1, SIGKILL);
		kill(c2, SIGKILL);
		waitpid(c1, NULL, 0);
		waitpid(c2, NULL, 0);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "wl"))
		return workload(argc > 2 ? argv[2] : "/tmp/sharecheck.file");
	if (argc == 3 && !strcmp(argv[1], "cmp"))
		return run_cmp(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "excl"))
		return run_excl(atol(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "col"))
		return run_col(atol(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "usage: sharecheck wl [FILE] | cmp PID | excl PID | col PID ADDR COL\n");
	return 2;
}
