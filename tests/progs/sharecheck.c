// SPDX-License-Identifier: GPL-2.0
/*
 * sharecheck: the share view (/proc/vmainfo/share) against the kernel's own
 * files, and a workload for it.
 *
 *   sharecheck wl [FILE]       fork workload (below); prints key=value lines
 *   sharecheck cmp PID         every VMA line and the rollup against
 *                              /proc/PID/smaps and smaps_rollup: every key
 *                              smaps prints that a column stands for, exact;
 *                              and "PID rollup" (the rollup line alone)
 *                              against that rollup
 *   sharecheck excl PID        per VMA: anon_excl against pagemap's bit 56
 *                              (present, not file, exclusive); for anonymous
 *                              VMAs anon_cow + zero against present, not
 *                              file, not exclusive
 *   sharecheck col PID ADDR COL   print column COL (kB) of the line at ADDR
 *                              ("rollup" for the rollup line)
 *   sharecheck cwl FILE        parent and child workload for the compare view
 *   sharecheck ksm             64 identical pages, MADV_MERGEABLE, stopped
 *   sharecheck pair P1 P2      the compare view ("P1 P2") against both
 *                              /proc/PID/pagemap, page by page (as root:
 *                              frame numbers), and /proc/kpageflags' zero
 *   sharecheck pcol P1 P2 ADDR COL   column COL (pages) of a compare line
 *   sharecheck vma PID ADDR    the share line of one VMA against its smaps
 *   sharecheck brk             the rollup of a heap growing by brk() while
 *                              read: never above the peak RSS (run_brk())
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
#include "procfs.h"
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

/* Write ARG ("PID" or "PID1 PID2") to /proc/vmainfo/share, read it all. */
static char *read_share_arg(const char *sel)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap), arg[64];
	int fd = open("/proc/vmainfo/share", O_RDWR);
	ssize_t n;

	if (fd < 0 || !buf)
		die("open /proc/vmainfo/share");
	snprintf(arg, sizeof(arg), "%s\n", sel);
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

static const char *const cmp_cols[] = { VMAINFO_COMPARE_COLS(VMAINFO_COMPARE_COL_NAME) };

/* Parse the view selected by SEL; its columns are NAMES[NCOLS]. */
static void parse_view(const char *sel, const char *const *names, int ncols)
{
	char *text = read_share_arg(sel), *line, *save = NULL;
	int state = 0, i;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tok, *s2 = NULL;
		struct row *r;

		if (state == 0) {
			if (!strncmp(line, "range perms", 11)) {
				/* the column names must be vmainfo_abi.h's */
				tok = strtok_r(line + 11, " ", &s2);
				for (i = 0; i < ncols; i++, tok = strtok_r(NULL, " ", &s2))
					if (!tok || strcmp(tok, names[i]))
						die("column %d is %s, not %s", i, tok ? tok : "-", names[i]);
				if (tok)
					die("an extra column %s", tok);
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
		for (i = 0; i < ncols; i++) {
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

static void parse_share(long pid)
{
	static const char *names[VMAINFO_SHARE_NR];
	char sel[24];
	int i;

	for (i = 0; i < VMAINFO_SHARE_NR; i++)
		names[i] = cols[i].name;
	snprintf(sel, sizeof(sel), "%ld", pid);
	parse_view(sel, names, VMAINFO_SHARE_NR);
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

/*
 * "PID rollup": the header says view: rollup, no VMA line, and the rollup
 * line is the one just read with every VMA line (the process is stopped).
 */
static int cmp_rollup_view(long pid)
{
	static const char *names[VMAINFO_SHARE_NR];
	struct row full = rollup;
	int i, n = nrows, keys = 0;
	char sel[40], *text;

	for (i = 0; i < VMAINFO_SHARE_NR; i++)
		names[i] = cols[i].name;
	snprintf(sel, sizeof(sel), "%ld rollup", pid);
	text = read_share_arg(sel);
	if (!strstr(text, "\nview: rollup\n"))
		FAIL("\"%s\": no \"view: rollup\" in the header", sel);
	free(text);
	nrows = 0;
	parse_view(sel, names, VMAINFO_SHARE_NR);
	if (nrows)
		FAIL("\"%s\": %d VMA lines, none wanted", sel, nrows);
	if (rollup.start != full.start || rollup.end != full.end)
		FAIL("\"%s\": range %lx-%lx, the full view's %lx-%lx", sel, rollup.start,
		     rollup.end, full.start, full.end);
	for (i = 0; i < VMAINFO_SHARE_NR; i++, keys++)
		if (strcmp(rollup.val[i], full.val[i]))
			FAIL("\"%s\": %s %s, the full view's %s", sel, cols[i].name,
			     rollup.val[i], full.val[i]);
	rollup = full;
	nrows = n;
	return keys;
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
	keys += cmp_rollup_view(pid);
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

/* ---- the compare view ("PID1 PID2") against both pagemaps ---- */

#define PM_PFN(e)	((e) & ((1ULL << 55) - 1))
#define KPF_ZERO_PAGE	24

static int kpf_fd = -1;

/* /proc/kpageflags' KPF_ZERO_PAGE of a frame (the zero page, the huge one) */
static int zero_frame(uint64_t pfn)
{
	uint64_t f;

	if (kpf_fd < 0 && (kpf_fd = open("/proc/kpageflags", O_RDONLY)) < 0)
		die("open /proc/kpageflags");
	if (pread(kpf_fd, &f, 8, pfn * 8) != 8)
		die("kpageflags %#llx", (unsigned long long)pfn);
	return f >> KPF_ZERO_PAGE & 1;
}

static void parse_pair(long p1, long p2)
{
	char sel[48];

	snprintf(sel, sizeof(sel), "%ld %ld", p1, p2);
	parse_view(sel, cmp_cols, VMAINFO_COMPARE_NR);
}

/* Pages [start, end) of PID's pagemap (present bit, frame: root only). */
static uint64_t *pagemap_of(int fd, unsigned long start, unsigned long end)
{
	unsigned long n = (end - start) / PAGE;
	uint64_t *pm = malloc(n * 8 + 8);

	if (!pm || pread(fd, pm, n * 8, start / PAGE * 8) != (ssize_t)(n * 8))
		die("pagemap %lx", start);
	return pm;
}

/*
 * Every line of the compare view against /proc/P1/pagemap and
 * /proc/P2/pagemap page by page: both present and the same frame (zero page
 * frames by kpageflags apart) is shared, both present on different frames
 * copied, one present only_first or only_second.  The lines must be P1's
 * VMAs (maps) and the rollup their sum.
 */
static int run_pair(long p1, long p2)
{
	char path[64], *maps, *l;
	unsigned long a, b, sum[VMAINFO_COMPARE_NR] = { 0 };
	int fd1, fd2, i, c, seen = 0;

	parse_pair(p1, p2);
	snprintf(path, sizeof(path), "/proc/%ld/pagemap", p1);
	fd1 = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%ld/pagemap", p2);
	fd2 = open(path, O_RDONLY);
	if (fd1 < 0 || fd2 < 0)
		die("open pagemap");
	snprintf(path, sizeof(path), "/proc/%ld/maps", p1);
	maps = slurp(path);
	for (l = maps; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (sscanf(l, "%lx-%lx", &a, &b) != 2)
			die("maps: %.40s", l);
		if (strstr(l, "[vsyscall]") && strstr(l, "[vsyscall]") < strchr(l, '\n'))
			continue;
		seen++;
		if (!row_at(a) || row_at(a)->end != b)
			FAIL("maps VMA %lx-%lx: no such line in the compare view", a, b);
	}
	if (seen != nrows)
		FAIL("maps has %d VMAs, the compare view %d", seen, nrows);
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		uint64_t *m1 = pagemap_of(fd1, r->start, r->end);
		uint64_t *m2 = pagemap_of(fd2, r->start, r->end);
		unsigned long n = (r->end - r->start) / PAGE, j, want[VMAINFO_COMPARE_NR] = { 0 };

		for (j = 0; j < n; j++) {
			int in1 = m1[j] >> 63 & 1, in2 = m2[j] >> 63 & 1;

			if (in1 && in2) {
				if (PM_PFN(m1[j]) != PM_PFN(m2[j]))
					want[VMAINFO_COMPARE_copied]++;
				else if (zero_frame(PM_PFN(m1[j])))
					want[VMAINFO_COMPARE_zero]++;
				else
					want[VMAINFO_COMPARE_shared]++;
			} else if (in1) {
				want[VMAINFO_COMPARE_only_first]++;
			} else if (in2) {
				want[VMAINFO_COMPARE_only_second]++;
			}
		}
		for (c = 0; c < VMAINFO_COMPARE_NR; c++) {
			unsigned long got = strtoul(r->val[c], NULL, 10);

			sum[c] += got;
			if (got != want[c])
				FAIL("%lx-%lx %s: vmainfo %lu pages, pagemaps %lu", r->start, r->end,
				     cmp_cols[c], got, want[c]);
		}
		free(m1);
		free(m2);
	}
	for (c = 0; c < VMAINFO_COMPARE_NR; c++)
		if (strtoul(rollup.val[c], NULL, 10) != sum[c])
			FAIL("rollup %s %s, the lines add up to %lu", cmp_cols[c], rollup.val[c], sum[c]);
	if (nrows && (rollup.start != rows[0].start || rollup.end != rows[nrows - 1].end))
		FAIL("rollup range %lx-%lx", rollup.start, rollup.end);
	printf("# %d VMAs compared page by page with both pagemaps, %d differ\n", nrows, fails);
	return fails ? 1 : 0;
}

/* Column COL (pages) of the compare line at ADDR ("rollup"). */
static int run_pcol(long p1, long p2, const char *addr, const char *col)
{
	struct row *r;
	int i;

	parse_pair(p1, p2);
	r = strcmp(addr, "rollup") ? row_at(strtoul(addr, NULL, 0)) : &rollup;
	if (!r)
		die("no line at %s", addr);
	for (i = 0; i < VMAINFO_COMPARE_NR; i++)
		if (!strcmp(cmp_cols[i], col)) {
			printf("%s\n", r->val[i]);
			return 0;
		}
	die("no column %s", col);
}

/* The share line of the VMA at ADDR against its smaps block (a running PID). */
static int run_vma(long pid, unsigned long addr)
{
	char path[64], *sm, *p, *e, key[24];
	unsigned long s0;
	struct row *r;
	int keys;

	parse_share(pid);
	r = row_at(addr);
	if (!r)
		die("no line at %lx", addr);
	snprintf(path, sizeof(path), "/proc/%ld/smaps", pid);
	sm = slurp(path);
	snprintf(key, sizeof(key), "%lx-", addr);
	for (p = strstr(sm, key); p && p != sm && p[-1] != '\n'; p = strstr(p + 1, key))
		;
	if (!p)
		die("smaps has no VMA at %lx", addr);
	for (e = strchr(p, '\n'); e && e[1] && !is_vma_line(e + 1); e = strchr(e + 1, '\n'))
		;
	if (sscanf(p, "%lx-%lx", &s0, &addr) != 2 || addr != r->end)
		FAIL("smaps VMA ends at %lx, the share line at %lx", addr, r->end);
	keys = cmp_block("vma", strchr(p, '\n') + 1, e ? e + 1 : p + strlen(p), r);
	printf("# %d values compared, %d differ\n", keys, fails);
	return fails ? 1 : 0;
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

/*
 * The regions both workloads begin with, each a VMA of its own: anon (64
 * pages written), zero (16 pages only read: the zero page) and shanon
 * (MAP_SHARED anonymous, 12 pages written).
 */
static void common_regions(char **anon, char **zero, char **shanon)
{
	volatile char sink;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	*anon = iso(64 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset(*anon, 1, 64 * PAGE);
	*zero = iso(16 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	for (i = 0; i < 16; i++)
		sink = (*zero)[i * PAGE];
	(void)sink;
	*shanon = iso(12 * PAGE, MAP_SHARED | MAP_ANONYMOUS, -1);
	memset(*shanon, 2, 12 * PAGE);
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
 * the fork, as both act only on pages mapped once.  The parent's own, not
 * inherited (MADV_DONTFORK), so their pages are mapped once: solo (8 pages
 * MADV_FREE, then 3 of them written again: LazyFree 5), sololk (4 pages
 * mlocked and written: Locked 4) and solothp (a THP written).
 */
static int workload(const char *file)
{
	char *anon, *zero, *shanon, *shfile, *thp, *thpz, *locked, *lazy, *swp, *solo, *sololk, *solothp;
	volatile char sink;
	pid_t c1, c2;
	int fd, i, me;

	common_regions(&anon, &zero, &shanon);
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
	solo = iso(8 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset(solo, 10, 8 * PAGE);
	printf("solo_free=%d\n", madvise(solo, 8 * PAGE, MADV_FREE) ? errno : 0);
	solo[0] = solo[2 * PAGE] = solo[5 * PAGE] = 11;
	sololk = iso(4 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (mlock(sololk, 4 * PAGE))
		die("mlock");
	memset(sololk, 12, 4 * PAGE);
	solothp = thp_region();
	memset(solothp, 13, 2UL << 20);
	if (madvise(solo, 8 * PAGE, MADV_DONTFORK) || madvise(sololk, 4 * PAGE, MADV_DONTFORK) ||
	    madvise(solothp, 2UL << 20, MADV_DONTFORK))
		die("MADV_DONTFORK");
	printf("pid=%d\nanon=%p\nzero=%p\nshanon=%p\nshfile=%p\nthp=%p\nthpzero=%p\n"
	       "locked=%p\nlazy=%p\nswapped=%p\nsolo=%p\nsololk=%p\nsolothp=%p\n", getpid(),
	       anon, zero, shanon, shfile, thp, thpz, locked, lazy, swp, solo, sololk, solothp);
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


/*
 * cwl FILE: a parent and one child after fork, for the compare view; both
 * stop after the fork (phase 1), then the child writes and both stop again
 * (phase 2).  Regions (all in VMAs of their own):
 *   anon    64 pages written before fork; phase 2: the child writes the 24
 *           even pages of the first 48 (copied 24, shared 40)
 *   zero    16 pages only read (by the child too, after fork: fork copies
 *           no entries of a VMA without anon_vma): the zero page in both
 *   shanon  12 pages MAP_SHARED anonymous, written; the child faults them
 *           in: always shared
 *   shonly   6 pages MAP_SHARED anonymous the child never touches (fork
 *           copies no entries of shared mappings): only_first
 *   fpriv    8 pages of FILE, MAP_PRIVATE, read by both (the page cache);
 *           phase 2: the child writes 2 (copied 2, shared 6)
 *   late     8 anonymous pages nobody touches before fork; phase 2: the
 *           child writes 4 (only_second 4)
 *   thp     a THP written before fork (shared PMD-mapped); phase 2: the
 *           child writes one byte, which splits its PMD and copies one page
 */
static int cmp_workload(const char *file)
{
	char *anon, *zero, *shanon, *shonly, *fpriv, *late, *thp, page[PAGE];
	volatile char sink;
	pid_t c;
	int fd, i;

	common_regions(&anon, &zero, &shanon);
	shonly = iso(6 * PAGE, MAP_SHARED | MAP_ANONYMOUS, -1);
	memset(shonly, 3, 6 * PAGE);
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("%s", file);
	memset(page, 4, sizeof(page));
	for (i = 0; i < 10; i++)
		if (write(fd, page, PAGE) != (ssize_t)PAGE)
			die("write %s", file);
	fpriv = iso(8 * PAGE, MAP_PRIVATE, fd);
	for (i = 0; i < 8; i++)
		sink = fpriv[i * PAGE];
	late = iso(8 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	thp = thp_region();
	memset(thp, 5, 2UL << 20);
	printf("anon=%p\nzero=%p\nshanon=%p\nshonly=%p\nfpriv=%p\nlate=%p\nthp=%p\n",
	       anon, zero, shanon, shonly, fpriv, late, thp);
	c = fork();
	if (c < 0)
		die("fork");
	if (c) {
		printf("pid=%d\nchild=%d\n", getpid(), c);
	} else {
		for (i = 0; i < 12; i++)
			sink = shanon[i * PAGE];
		for (i = 0; i < 8; i++)
			sink = fpriv[i * PAGE];
		for (i = 0; i < 16; i++)
			sink = zero[i * PAGE];
	}
	(void)sink;
	phase();
	if (!c) {
		for (i = 0; i < 48; i += 2)
			anon[i * PAGE] = 7;
		fpriv[0] = 8;
		fpriv[5 * PAGE] = 8;
		for (i = 0; i < 4; i++)
			late[i * PAGE] = 9;
		thp[0] = 10;
	}
	phase();
	if (c) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
	}
	return 0;
}

#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE 12
#endif

/* ksm: 64 identical anonymous pages, MADV_MERGEABLE, then stop until killed. */
static int ksm_workload(void)
{
	char *k = iso(64 * PAGE, MAP_PRIVATE | MAP_ANONYMOUS, -1);

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(k, 0x5a, 64 * PAGE);
	printf("madv=%d\n", madvise(k, 64 * PAGE, MADV_MERGEABLE) ? errno : 0);
	printf("pid=%d\nksm=%p\n", getpid(), k);
	for (;;)
		phase();
	return 0;
}

/*
 * brk: a child grows its heap by brk(), 64 KiB at a time, each page written,
 * to 256 MiB (three times over), while the rollup of both views ("PID" and "PID rollup") is read
 * in turn.  Each brk() waits for the lock a read holds, so reads give it up
 * between lines or VMAs, and the heap the read was in has grown when it goes
 * on: counted from where it stopped, the rollup's rss never exceeds the
 * child's VmHWM read after it (its peak RSS; 2 MiB allowed for the RSS
 * counters' per-CPU lag).  Counting the grown heap from its start again
 * would exceed it by up to the heap's size.
 */
#define BRK_STEP	(16 * PAGE)
#define BRK_MAX		(256UL << 20)
#define BRK_ROUNDS	3

static long rollup_rss(const char *sel)
{
	char *text = read_share_arg(sel), *l = strstr(text, " rollup ");
	long kb;

	if (!l)
		die("\"%s\": no rollup line", sel);
	kb = strtol(l + 8, NULL, 10);	/* rss, the first column */
	free(text);
	return kb;
}

static int run_brk(void)
{
	long reads = 0, worst = 0, fails = 0;
	pid_t c = fork();
	int st;

	if (c < 0)
		die("fork");
	if (!c) {
		/* three times, back to the start in between: VmHWM stays the peak */
		for (int round = 0; round < BRK_ROUNDS; round++) {
			for (unsigned long n = 0; n < BRK_MAX; n += BRK_STEP) {
				char *p = sbrk(BRK_STEP);

				if (p == (void *)-1)
					die("sbrk");
				memset(p, 1, BRK_STEP);
			}
			if (round + 1 < BRK_ROUNDS && sbrk(-(long)BRK_MAX) == (void *)-1)
				die("sbrk shrink");
		}
		raise(SIGSTOP);
		_exit(0);
	}
	for (;;) {
		char sel[40], *status;
		long rss, hwm;

		snprintf(sel, sizeof(sel), reads % 2 ? "%d rollup" : "%d", c);
		if (waitpid(c, &st, WNOHANG | WUNTRACED) == c)
			break;
		rss = rollup_rss(sel);
		status = status_read(c);
		hwm = status_kb(status, "VmHWM:");
		free(status);
		reads++;
		if (rss - hwm > worst)
			worst = rss - hwm;
		if (rss > hwm + 2048 && fails++ < 5)
			printf("read %ld (\"%s\"): rollup rss %ld kB, VmHWM after it %ld kB\n",
			       reads, sel, rss, hwm);
	}
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	printf("# %ld reads while the heap grew to %lu MiB %d times; rollup rss above VmHWM by at most %ld kB; %ld too high\n",
	       reads, BRK_MAX >> 20, BRK_ROUNDS, worst, fails);
	if (reads < 10)
		die("only %ld reads while the heap grew", reads);
	return fails ? 1 : 0;
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
	if (argc == 3 && !strcmp(argv[1], "cwl"))
		return cmp_workload(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "ksm"))
		return ksm_workload();
	if (argc == 4 && !strcmp(argv[1], "pair"))
		return run_pair(atol(argv[2]), atol(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "pcol"))
		return run_pcol(atol(argv[2]), atol(argv[3]), argv[4], argv[5]);
	if (argc == 4 && !strcmp(argv[1], "vma"))
		return run_vma(atol(argv[2]), strtoul(argv[3], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "brk"))
		return run_brk();
	fprintf(stderr, "usage: sharecheck wl [FILE] | cmp PID | excl PID | col PID ADDR COL |\n"
		"  cwl FILE | ksm | pair PID1 PID2 | pcol PID1 PID2 ADDR COL | vma PID ADDR | brk\n");
	return 2;
}
