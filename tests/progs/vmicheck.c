// SPDX-License-Identifier: GPL-2.0
/*
 * vmicheck: compare /proc/vmainfo/<pid> and the debugfs files with the
 * kernel's own files.  Each subcommand prints what differs and exits 0
 * (agree) or 1 (differ).  The subcommands, their arguments and what each
 * checks: the table cmds[] at the end ("vmicheck" alone lists them).
 * /proc/PID/maps, /proc/PID/stat and /proc/PID/status are read by the one
 * parser each in procfs.h.
 */
#include <stdint.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include "wl.h"
#include "pagemap.h"
#include "parse.h"
#include "util.h"
#include "json.h"
#include "procfs.h"
#include <grp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

static int failures;

#define FAIL(...) do { printf("# " __VA_ARGS__); putchar('\n'); failures++; } while (0)

static char *slurp(const char *path, size_t *len)
{
	char *buf;
	size_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("open %s", path);
	if (read_all(fd, &buf, &n))
		die("read %s", path);
	close(fd);
	if (len)
		*len = n;
	return buf;
}

/* The text checked by maps/stat/status: /proc/vmainfo/PID, or a saved copy. */
static const char *text_file;

static void load(long pid, struct vmi_doc *doc)
{
	char path[64], err[128];
	size_t len;
	char *buf;

	snprintf(path, sizeof(path), "/proc/vmainfo/%ld", pid);
	buf = slurp(text_file ? text_file : path, &len);
	if (vmi_parse(buf, len, doc, err, sizeof(err))) {
		errno = 0;
		die("%s: %s", text_file ? text_file : path, err);
	}
	free(buf);
}

/*
 * The VMAs of the page map: those of /proc/vmainfo but the x86 vsyscall gate
 * area, its last line when maps lists it, which the page map leaves out as
 * /proc/PID/pagemap does (it ends at the task size).
 */
static void load_user(long pid, struct vmi_doc *doc)
{
	load(pid, doc);
	if (doc->nvmas && !strcmp(doc->vmas[doc->nvmas - 1].kind, "vsyscall"))
		doc->nvmas--;
}

static unsigned long hdr(const struct vmi_doc *doc, const char *key)
{
	unsigned long v;

	if (!vmi_hdr_ul(doc, key, &v)) {
		errno = 0;
		die("header has no numeric %s", key);
	}
	return v;
}

/*
 * The VMA lines of the text (after the first empty line) against
 * /proc/PID/maps, byte for byte: each VMA line starts with exactly the bytes
 * of the maps line up to its inode (padding and field widths included), then
 * one space and five more fields, then, if maps shows a name, one space and
 * exactly that name.
 */
static int check_maps(long pid)
{
	char path[64], *text, *vl;
	size_t i = 0, tlen;
	struct maps maps;

	if (text_file) {
		text = slurp(text_file, &tlen);
	} else {
		snprintf(path, sizeof(path), "/proc/vmainfo/%ld", pid);
		text = slurp(path, &tlen);
	}
	vl = strstr(text, "\n\n");
	if (!vl) {
		FAIL("text has no empty line before the VMA lines");
		free(text);
		return 1;
	}
	vl += 2;
	maps_read(pid, &maps);
	for (i = 0; i < maps.n; i++) {
		const char *line = maps.v[i].line, *p = maps.v[i].name;
		int n = maps.v[i].prefix, f;
		char *nl, *q;

		if (n < 0) {
			FAIL("maps line unparsable: %s", line);
			continue;
		}
		if (!*vl) {
			FAIL("maps has more lines; first extra: %s", line);
			break;
		}
		nl = strchr(vl, '\n');
		if (!nl) {
			FAIL("VMA line %zu does not end with a newline", i);
			break;
		}
		*nl = '\0';
		if (strncmp(vl, line, (size_t)n) || vl[n] != ' ') {
			FAIL("line %zu: the first five columns are not the bytes of maps:\n#  maps:    '%.*s'\n#  vmainfo: '%s'",
			     i, n, line, vl);
		} else {
			/* five single-space separated fields: flags kind present swap huge */
			q = vl + n + 1;
			for (f = 0; f < 5; f++) {
				size_t w = strcspn(q, " ");

				if (!w)
					break;
				q += w;
				if (f < 4) {
					if (*q != ' ')
						break;
					q++;
				}
			}
			if (f != 5)
				FAIL("line %zu: not five fields after the inode: '%s'", i, vl);
			else if (*q ? !*p || strcmp(q + 1, p) : !!*p)
				FAIL("line %zu: name '%s', maps '%s'", i, *q ? q + 1 : "", p);
		}
		vl = nl + 1;
	}
	if (*vl)
		FAIL("vmainfo has more VMA lines than the %zu of maps; first extra: %.80s", i, vl);
	maps_free(&maps);
	free(text);
	return failures != 0;
}

static int check_stat(long pid)
{
	static const struct { int field; const char *key; } map[] = {
		{ 26, "start_code" }, { 27, "end_code" }, { 28, "start_stack" },
		{ 45, "start_data" }, { 46, "end_data" }, { 47, "start_brk" },
		{ 48, "arg_start" }, { 49, "arg_end" }, { 50, "env_start" }, { 51, "env_end" },
	};
	struct proc_stat st;
	struct vmi_doc doc;
	size_t i;

	load(pid, &doc);
	stat_read(pid, &st);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (st.f[map[i].field] != hdr(&doc, map[i].key))
			FAIL("%s: stat field %d = 0x%lx, vmainfo 0x%lx", map[i].key, map[i].field,
			     st.f[map[i].field], hdr(&doc, map[i].key));
	vmi_doc_free(&doc);
	return failures != 0;
}

static int check_status(long pid)
{
	struct vmi_doc doc;
	char *st;
	unsigned long sc, ec, vmexe, tables;

	load(pid, &doc);
	st = status_read(pid);
#define EQ_KB(field, val) do { long k = status_kb(st, field); \
	if (k != (long)(val)) FAIL("%s %ld kB, vmainfo %ld kB", field, k, (long)(val)); } while (0)
	EQ_KB("VmSize:", hdr(&doc, "total_vm") * 4);
	EQ_KB("VmPeak:", hdr(&doc, "hiwater_vm") * 4);
	EQ_KB("VmLck:", hdr(&doc, "locked_vm") * 4);
	EQ_KB("VmPin:", hdr(&doc, "pinned_vm") * 4);
	EQ_KB("VmData:", hdr(&doc, "data_vm") * 4);
	EQ_KB("VmStk:", hdr(&doc, "stack_vm") * 4);
	EQ_KB("VmPTE:", hdr(&doc, "pgtables_bytes") / 1024);
	EQ_KB("RssAnon:", hdr(&doc, "rss_anon") * 4);
	EQ_KB("RssFile:", hdr(&doc, "rss_file") * 4);
	EQ_KB("RssShmem:", hdr(&doc, "rss_shmem") * 4);
	EQ_KB("VmSwap:", hdr(&doc, "swap_ents") * 4);
	sc = hdr(&doc, "start_code");
	ec = hdr(&doc, "end_code");
	vmexe = (((ec + 4095) & ~4095UL) - (sc & ~4095UL)) >> 10;
	EQ_KB("VmExe:", vmexe);
	EQ_KB("VmLib:", hdr(&doc, "exec_vm") * 4 - vmexe);
	/* The per-level table counts add up to what the kernel accounts. */
	tables = hdr(&doc, "pte_tables") + hdr(&doc, "pmd_tables") + hdr(&doc, "pud_tables") +
		 hdr(&doc, "thp_deposited_tables");
	EQ_KB("VmPTE:", tables * 4);
	free(st);
	vmi_doc_free(&doc);
	return failures != 0;
}

static int check_flags(long pid)
{
	struct vmi_doc doc;
	char path[64], *sm, *p;
	size_t i = 0;

	load(pid, &doc);
	snprintf(path, sizeof(path), "/proc/%ld/smaps", pid);
	sm = slurp(path, NULL);
	for (p = strstr(sm, "VmFlags:"); p; p = strstr(p + 1, "VmFlags:"), i++) {
		char want[256] = "", *q = p + 8, *nl = strchr(p, '\n');
		size_t w = 0;

		while (q < nl) {
			while (*q == ' ')
				q++;
			if (q >= nl)
				break;
			if (w)
				want[w++] = ',';
			want[w++] = q[0];
			want[w++] = q[1];
			q += 2;
		}
		want[w] = '\0';
		if (!w)
			strcpy(want, "-");
		if (i >= doc.nvmas) {
			FAIL("smaps has more VMAs");
			break;
		}
		if (strcmp(want, doc.vmas[i].flags))
			FAIL("VMA %lx: smaps VmFlags %s, vmainfo %s", doc.vmas[i].start, want,
			     doc.vmas[i].flags);
	}
	if (i != doc.nvmas)
		FAIL("smaps has %zu VMAs, vmainfo %zu", i, doc.nvmas);
	free(sm);
	vmi_doc_free(&doc);
	return failures != 0;
}

static int check_kind(long pid, unsigned long addr, const char *kind)
{
	struct vmi_doc doc;
	size_t i;

	load(pid, &doc);
	for (i = 0; i < doc.nvmas; i++)
		if (doc.vmas[i].start <= addr && addr < doc.vmas[i].end)
			break;
	if (i == doc.nvmas)
		FAIL("no VMA holds 0x%lx", addr);
	else if (strcmp(doc.vmas[i].kind, kind))
		FAIL("VMA %lx-%lx holding 0x%lx has kind %s, want %s", doc.vmas[i].start,
		     doc.vmas[i].end, addr, doc.vmas[i].kind, kind);
	vmi_doc_free(&doc);
	return failures != 0;
}

static int check_hdr(long pid, const char *key, const char *want)
{
	struct vmi_doc doc;
	const char *v;

	load(pid, &doc);
	v = vmi_hdr(&doc, key);
	if (!v)
		FAIL("no header %s", key);
	else if (strcmp(v, want) && strtoul(v, NULL, 0) != strtoul(want, NULL, 0))
		FAIL("%s is '%s', want '%s'", key, v, want);
	else if (strcmp(v, want) && !strtoul(want, NULL, 0))
		FAIL("%s is '%s', want '%s'", key, v, want);
	vmi_doc_free(&doc);
	return failures != 0;
}

static int check_count(long pid, unsigned long addr, long n)
{
	struct vmi_doc doc;
	long found = 0;
	size_t i;

	load(pid, &doc);
	for (i = 0; i < doc.nvmas; i++)
		if (doc.vmas[i].end > addr && doc.vmas[i].start < addr + n * PAGE)
			found++;
	if (found != n)
		FAIL("%ld VMAs overlap [0x%lx, +%ld pages), want %ld", found, addr, n, n);
	vmi_doc_free(&doc);
	return failures != 0;
}

static char *read_with(const char *path, size_t chunk, size_t *len, int reread)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("open %s", path);
	for (int pass = 0; pass <= reread; pass++) {
		if (pass && lseek(fd, 0, SEEK_SET))
			die("lseek");
		n = 0;
		for (;;) {
			ssize_t r;

			if (cap - n < chunk) {
				cap = cap * 2 + chunk;
				buf = realloc(buf, cap);
			}
			r = read(fd, buf + n, chunk);
			if (r < 0)
				die("read %s", path);
			if (!r)
				break;
			n += (size_t)r;
		}
	}
	close(fd);
	*len = n;
	return buf;
}

static int check_reads(const char *path)
{
	size_t l1, l2, l3, l4;
	char *a = read_with(path, 1, &l1, 0);
	char *b = read_with(path, 4096, &l2, 0);
	char *c = read_with(path, 1 << 20, &l3, 0);
	char *d = read_with(path, 4096, &l4, 1);

	if (l1 != l2 || memcmp(a, b, l1))
		FAIL("1-byte and 4 KiB reads differ (%zu vs %zu bytes)", l1, l2);
	if (l2 != l3 || memcmp(b, c, l2))
		FAIL("4 KiB and 1 MiB reads differ (%zu vs %zu bytes)", l2, l3);
	if (l2 != l4 || memcmp(b, d, l2))
		FAIL("reread after lseek(0) differs (%zu vs %zu bytes)", l2, l4);
	if (!l2)
		FAIL("empty read");
	free(a), free(b), free(c), free(d);
	return failures != 0;
}

/*
 * The user address limit of this guest (TASK_SIZE_MAX), decided without the
 * module: a mapping placed above 47 bits exists only with 5-level paging.
 * /proc/cpuinfo's la57 flag and the no5lvl boot option must agree.
 */
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifdef __aarch64__
/*
 * arm64: does this boot run 52-bit virtual addresses (LPA2)?  Two oracles
 * that must agree: a mapping at 2^50 works only then, and the kernel said so
 * at boot ("CPU features: detected: 52-bit Virtual Addressing (LPA2)" in
 * the whole kernel log the guest's init keeps in /vmainfo/log/kmsg).
 */
static int arm64_va52(void)
{
	void *hint = (void *)(1UL << 50), *p;
	char *log = slurp("/vmainfo/log/kmsg", NULL);
	int said = strstr(log, "detected: 52-bit Virtual Addressing (LPA2)") != NULL, got;

	p = mmap(hint, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	got = p == hint;
	if (p != MAP_FAILED)
		munmap(p, PAGE);
	if (got != said)
		FAIL("a mapping at %p %s, but the kernel log %s 52-bit VA", hint,
		     got ? "worked" : "failed", said ? "announced" : "did not announce");
	free(log);
	return got;
}

/* arm64: user space is [0, 2^vabits_actual): TASK_SIZE, no guard page. */
static unsigned long user_limit(void)
{
	return 1UL << (arm64_va52() ? 52 : 48);
}
#else
static unsigned long user_limit(void)
{
	void *hint = (void *)0x00f0000000000000UL, *p;
	char *cpu = slurp("/proc/cpuinfo", NULL), *cmd = slurp("/proc/cmdline", NULL);
	int la57 = strstr(cpu, " la57") != NULL, no5 = strstr(cmd, "no5lvl") != NULL, five;

	p = mmap(hint, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	five = p == hint;
	if (p != MAP_FAILED)
		munmap(p, PAGE);
	if (five != (la57 && !no5))
		FAIL("a mapping at %p %s, but la57=%d no5lvl=%d", hint, five ? "worked" : "failed",
		     la57, no5);
	free(cpu);
	free(cmd);
	return five ? 0x00fffffffffff000UL : 0x00007ffffffff000UL;
}
#endif

/*
 * The x86-64 vsyscall gate area (uapi asm/vsyscall.h VSYSCALL_ADDR), which
 * maps, and so our VMA text, lists at a fixed address in the kernel half.
 */
#define VSYSCALL_START	0xffffffffff600000UL
static int is_gate_line(const char *line)
{
	const char *e = strchrnul(line, '\n');
	static const char tail[] = " vsyscall 0 0 0 [vsyscall]";

	return !strncmp(line, "ffffffffff600000-ffffffffff601000 ", 34) &&
	       (size_t)(e - line) >= sizeof(tail) - 1 &&
	       !memcmp(e - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * No value at or above the user address limit in the files: every run of
 * hexadecimal digits (with or without 0x, so decimal numbers too, read as
 * hex, which only makes them larger) must be below the limit.  Exceptions:
 * the limit itself where it is documented (task_size, the user region of the
 * layout), and, in a file given as layout=PATH (root's kernel layout), the
 * kernel addresses the layout documents (page_offset, kernel_text_2m, region
 * start and end), and the two addresses of the x86 vsyscall gate area on its
 * own line.
 */
static int check_kaddr(int argc, char **argv)
{
	unsigned long limit = user_limit();
	long scanned = 0;

	for (int i = 0; i < argc; i++) {
		int layout = !strncmp(argv[i], "layout=", 7);
		const char *file = argv[i] + (layout ? 7 : 0);
		size_t len, j = 0, ls = 0;
		char *t = slurp(file, &len);

		while (j < len) {
			size_t k = j, col = 0;
			unsigned long long v = 0;
			int big = 0;

			if (t[j] == '\n') {
				ls = ++j;
				continue;
			}
			if (!is_hex(t[j]) || (j > ls && is_hex(t[j - 1]))) {
				j++;
				continue;
			}
			for (; k < len && is_hex(t[k]); k++) {
				int d = t[k] <= '9' ? t[k] - '0' : (t[k] | 0x20) - 'a' + 10;

				if (v >> 60)
					big = 1;
				v = v << 4 | (unsigned)d;
			}
			scanned++;
			/* the column of this token: words before it on its line */
			for (size_t c = ls; c < j; c++)
				if (t[c] == ' ' && c + 1 < len && t[c + 1] != ' ')
					col++;
			if (big || v >= limit) {
				int ok = 0;

				if (!big && v == limit &&
				    (!strncmp(t + ls, "task_size: ", 11) ||
				     (layout && !strncmp(t + ls, "user ", 5))))
					ok = 1;
				if (layout && (!strncmp(t + ls, "page_offset: ", 13) ||
					       !strncmp(t + ls, "kernel_text_2m: ", 16)))
					ok = 1;
				if (layout && t[ls] >= 'a' && t[ls] <= 'z' && (col == 1 || col == 2) &&
				    j >= 2 && t[j - 1] == 'x' && t[j - 2] == '0' &&
				    strncmp(t + ls, "user ", 5))
					ok = 1;	/* region start/end */
				if (!big && col == 0 && is_gate_line(t + ls) &&
				    (v == VSYSCALL_START || v == VSYSCALL_START + 4096))
					ok = 1;	/* the x86 gate area: a fixed ABI address */
				if (!ok)
					FAIL("%s: value %.*s at or above the user limit 0x%lx: %.*s", file,
					     (int)(k - j), t + j, limit,
					     (int)(strchrnul(t + ls, '\n') - (t + ls)), t + ls);
			}
			j = k;
		}
		free(t);
	}
	if (!failures)
		printf("# %ld numbers scanned, all below 0x%lx\n", scanned, limit);
	return failures != 0;
}

/*
 * Whether the process of /proc/vmainfo/PID (or PID) has exited: no
 * /proc/PID, or a zombie.
 */
static int gone(const char *path_or_pid)
{
	const char *b = strrchr(path_or_pid, '/');
	struct proc_stat st;
	char p[64];

	snprintf(p, sizeof(p), "/proc/%s/stat", b ? b + 1 : path_or_pid);
	return stat_read_path(p, &st) || st.state == 'Z' || st.state == 'X';
}

/*
 * N reads of PATH: every one parses, VMA ends rise, and (unless @merges) no
 * start goes below the previous start.  With @merges, a target that merges
 * VMAs on both sides of the one printed last may show it again from lower
 * down (proc-vmainfo.rst, "Reading while the target runs"): only ends rise.
 */
static int check_order(const char *path, long n, bool merges)
{
	long overlaps = 0;

	for (long r = 0; r < n; r++) {
		size_t len;
		char *buf = read_with(path, 4096, &len, 0);
		struct vmi_doc doc;
		char err[128];

		if (!len) {
			/* end of file at once: only when the process is gone */
			free(buf);
			if (!gone(path))
				FAIL("read %ld: empty, but the process is alive", r);
			else if (!r)
				FAIL("the process was gone before the first read");
			else
				printf("# the process exited after %ld reads\n", r);
			n = r;
			break;
		}
		if (vmi_parse(buf, len, &doc, err, sizeof(err))) {
			FAIL("read %ld: %s", r, err);
			free(buf);
			break;
		}
		if (!doc.nvmas) {
			FAIL("read %ld: no VMA lines", r);
			vmi_doc_free(&doc);
			free(buf);
			break;
		}
		/*
		 * The guarantee of /proc/PID/maps: addresses never go backwards.  A
		 * VMA that grew or merged across a chunk boundary while we read may
		 * start below the previous line's end (maps shows the same); its
		 * start still may not go below the previous start, and ends rise.
		 */
		for (size_t i = 1; i < doc.nvmas; i++) {
			if (doc.vmas[i].end <= doc.vmas[i - 1].end ||
			    (!merges && doc.vmas[i].start < doc.vmas[i - 1].start)) {
				FAIL("read %ld: VMA %lx-%lx after %lx-%lx", r, doc.vmas[i].start,
				     doc.vmas[i].end, doc.vmas[i - 1].start, doc.vmas[i - 1].end);
				break;
			}
			if (doc.vmas[i].start < doc.vmas[i - 1].end)
				overlaps++;
		}
		vmi_doc_free(&doc);
		free(buf);
		if (failures)
			break;
	}
	printf("# %ld reads, %ld lines overlapping the previous one (a VMA that changed across a chunk boundary)\n",
	       n, overlaps);
	return failures != 0;
}

static int check_parse(const char *path)
{
	size_t len;
	char *buf = slurp(path, &len), err[128];
	struct vmi_doc doc;

	if (vmi_parse(buf, len, &doc, err, sizeof(err)))
		FAIL("%s: %s", path, err);
	else
		vmi_doc_free(&doc);
	free(buf);
	return failures != 0;
}

static const struct { int e; const char *name; } errnames[] = {
	{ 0, "OK" }, { EINVAL, "EINVAL" }, { ERANGE, "ERANGE" }, { ESRCH, "ESRCH" },
	{ EACCES, "EACCES" }, { EPERM, "EPERM" }, { ENODATA, "ENODATA" }, { EFAULT, "EFAULT" },
	{ ENOENT, "ENOENT" }, { EIO, "EIO" }, { ENXIO, "ENXIO" }, { EINTR, "EINTR" },
};

static const char *errname(int e)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].e == e)
			return errnames[i].name;
	return strerror(e);
}

static int check_write(const char *path, const char *str, const char *want)
{
	int fd = open(path, O_RDWR), e = 0;

	if (fd < 0)
		die("open %s", path);
	if (write(fd, str, strlen(str)) < 0)
		e = errno;
	close(fd);
	if (strcmp(errname(e), want))
		FAIL("write '%s' to %s: %s, want %s", str, path, errname(e), want);
	return failures != 0;
}

/* writeb FILE E: the bytes of stdin (NULs included) in one write() to FILE. */
static int check_writeb(const char *path, const char *want)
{
	char *data;
	size_t len;
	int fd, e = 0;

	if (read_all(0, &data, &len))
		die("read stdin");
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open %s", path);
	if (write(fd, data, len) < 0)
		e = errno;
	close(fd);
	if (strcmp(errname(e), want)) {
		printf("# write of %zu bytes '", len);
		for (size_t i = 0; i < len; i++)
			printf(data[i] >= ' ' && data[i] < 127 ? "%c" : "\\%03o",
			       (unsigned char)data[i]);
		printf("'\n");
		FAIL("write to %s: %s, want %s", path, errname(e), want);
	}
	free(data);
	return failures != 0;
}

/* readfd FD E [MAX]: read the inherited FD to its end (or MAX bytes); the end is E. */
static int check_readfd(int fd, const char *want, long max)
{
	static char buf[4096];
	long total = 0;
	int e = 0;

	while (max <= 0 || total < max) {
		size_t n = max > 0 && max - total < (long)sizeof(buf) ? (size_t)(max - total) :
			   sizeof(buf);
		ssize_t r = read(fd, buf, n);

		if (r < 0) {
			e = errno;
			break;
		}
		if (!r)
			break;
		total += r;
	}
	printf("# fd %d: %ld bytes, then %s\n", fd, total, max > 0 && total >= max ? "stopped" :
	       e ? errname(e) : "end of file");
	if (strcmp(errname(e), want))
		FAIL("reading fd %d: %s after %ld bytes, want %s", fd, errname(e), total, want);
	if (max > 0 && total != max)
		FAIL("reading fd %d: %ld bytes, want %ld", fd, total, max);
	return failures != 0;
}

/*
 * exitread PID: open and read /proc/vmainfo/PID over and over until the entry
 * is gone (ENOENT; before the first success ENOENT means "not yet", for 5 s).  Opens may fail only with ESRCH (exited, not yet reaped),
 * reads never; a text is the process's own ("pid: PID" first) or empty (an
 * exec or the exit came between open and read).  At least one read must give
 * the text.
 */
static int check_exitread(long pid)
{
	char path[64], first[32];
	long text = 0, empty = 0, esrch = 0, rounds = 0, waited = 0;

	snprintf(path, sizeof(path), "/proc/vmainfo/%ld", pid);
	snprintf(first, sizeof(first), "pid: %ld\n", pid);
	for (;; rounds++) {
		int fd = open(path, O_RDONLY), r;
		size_t len;
		char *buf;

		if (rounds > 200000) {
			FAIL("%s still there after %ld rounds", path, rounds);
			break;
		}
		if (fd < 0) {
			/* not there yet (the entry trails the fork), or gone */
			if (errno == ENOENT && !text && !empty && !esrch && waited < 5000) {
				waited++;
				usleep(1000);
				continue;
			}
			if (errno == ENOENT)
				break;
			if (errno != ESRCH) {
				FAIL("open %s: %s", path, errname(errno));
				break;
			}
			esrch++;
			usleep(1000);
			continue;
		}
		r = read_all(fd, &buf, &len);
		close(fd);
		if (r) {
			FAIL("read %s: %s", path, errname(-r));
			break;
		}
		if (!len)
			empty++;
		else if (strncmp(buf, first, strlen(first)))
			FAIL("%s: text of another process: %.40s", path, buf);
		else
			text++;
		free(buf);
		if (failures)
			break;
	}
	if (!text && !failures)
		FAIL("%s: no read gave the process's text (%ld empty, %ld ESRCH)", path, empty, esrch);
	printf("# %s: %ld texts, %ld empty, %ld ESRCH, then ENOENT\n", path, text, empty, esrch);
	return failures != 0;
}

/*
 * pmorder PID N: N reads of the whole page map of PID (4 KiB read()s) while
 * it changes.  Every line is complete and well formed, the first is a vma
 * line, a vma line starts at or after the previous run's end or holds it (a
 * chunk resumed in a VMA that changed), a run right after a vma line starts
 * at that VMA's start (or, where a chunk resumed in a VMA that changed,
 * where the previous run ended), every
 * other run exactly where the previous one ended, no run goes back; no pfn
 * unless asked; the text is empty only if the process is gone.
 */
/* The bit of a page-map flag name (vmainfo_abi.h), or -1. */
static int pm_flag_bit(const char *name)
{
#define PM_FLAG(e, bit, s) if (!strcmp(name, s)) return bit;
	VMAINFO_PAGE_FLAGS(PM_FLAG)
#undef PM_FLAG
	return -1;
}

static int check_pmorder(long pid, long n)
{
	char sel[32], *buf = NULL;
	long lines = 0, r;
	size_t cap = 0;

	snprintf(sel, sizeof(sel), "%ld", pid);
	for (r = 0; r < n && !failures; r++) {
		int fd = open("/sys/kernel/debug/vmainfo/pagemap", O_RDWR);
		unsigned long prev = 0, vs = 0;
		int after_vma = 0;
		size_t len = 0;
		char *line, *save = NULL;

		if (fd < 0)
			die("open debugfs pagemap");
		if (write(fd, sel, strlen(sel)) < 0) {
			if (!gone(sel) || !r)
				FAIL("select %s: %s", sel, errname(errno));
			close(fd);
			break;
		}
		for (;;) {
			ssize_t k;

			if (cap - len < 4097) {
				cap = cap * 2 + 8192;
				buf = realloc(buf, cap);
			}
			k = read(fd, buf + len, 4096);
			if (k < 0) {
				FAIL("read %ld of the page map: %s", r, errname(errno));
				break;
			}
			if (!k)
				break;
			len += (size_t)k;
		}
		close(fd);
		if (failures)
			break;
		if (!len) {
			if (!gone(sel))
				FAIL("read %ld: empty page map of a live process", r);
			break;
		}
		if (buf[len - 1] != '\n')
			FAIL("read %ld: the last line is not complete", r);
		buf[len] = '\0';
		for (line = strtok_r(buf, "\n", &save); line && failures < 5;
		     line = strtok_r(NULL, "\n", &save), lines++) {
			unsigned long s, e, np;
			char a[8], b[24], st[16], fl[80], rest[8];
			int m;

			if (!strncmp(line, "vma ", 4)) {
				/*
				 * Below the last run's end only as the VMA
				 * found at a chunk's resume address, which
				 * changed (grew or merged downwards): it
				 * holds that address.
				 */
				if (sscanf(line + 4, "%lx-%lx %7s %23s %7s", &s, &e, a, b, rest) != 4 ||
				    s >= e || strlen(a) != 4 || (s < prev && e <= prev))
					FAIL("read %ld: bad vma line after %lx: %s", r, prev, line);
				vs = s;
				after_vma = 1;
				continue;
			}
			m = sscanf(line, "%lx-%lx %lu %15s %79s %7s", &s, &e, &np, st, fl, rest);
			if (m != 5 || s >= e || (e - s) / PAGE != np || (s | e) % PAGE) {
				FAIL("read %ld: bad run line: %s", r, line);
				continue;
			}
			if (pm_state_of(st) < 0)
				FAIL("read %ld: bad state: %s", r, line);
			if (strcmp(fl, "-")) {
				char *f, *fs = NULL;
				int last = -1;

				/* names of vmainfo_abi.h, each once, in bit order */
				for (f = strtok_r(fl, ",", &fs); f; f = strtok_r(NULL, ",", &fs)) {
					int bit = pm_flag_bit(f);

					if (bit <= last)
						FAIL("read %ld: unknown or unordered flag %s: %s", r, f, line);
					last = bit;
				}
			}
			/*
			 * After a vma line: its start, or, when the VMA at a chunk's
			 * resume address changed, the resume address inside it.
			 */
			if (!vs && !after_vma)
				FAIL("read %ld: a run before any vma line: %s", r, line);
			else if (after_vma ? s != vs && !(s == prev && vs < prev) : s != prev)
				FAIL("read %ld: run starts at %lx, want %lx: %s", r, s,
				     after_vma ? vs : prev, line);
			prev = e;
			after_vma = 0;
		}
	}
	printf("# %ld page-map reads, %ld lines\n", r, lines);
	free(buf);
	return failures != 0;
}

static int query(const char *file, const char *pid)
{
	int fd = open(file, O_RDWR);
	size_t len;
	char *buf;

	if (fd < 0)
		die("open query");
	if (write(fd, pid, strlen(pid)) < 0)
		die("select %s", pid);
	if (read_all(fd, &buf, &len))
		die("read query");
	fwrite(buf, 1, len, stdout);
	free(buf);
	close(fd);
	return 0;
}

/*
 * The confused deputy: an unprivileged task opens the query file and hands
 * the descriptor to a root task, which writes a pid into it.  The selection
 * must be decided with the opener's credentials.
 */
/* A one-byte message with room for one descriptor, for sendmsg/recvmsg. */
static void fd_msg(struct msghdr *msg, struct iovec *iov, char *c, void *cbuf, size_t len)
{
	memset(msg, 0, sizeof(*msg));
	iov->iov_base = c;
	iov->iov_len = 1;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = cbuf;
	msg->msg_controllen = len;
}

static int check_deputy(void)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr msg;
	struct iovec iov;
	int sv[2], fd, e = 0;
	char c = 0;
	pid_t child;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	child = fork();
	if (!child) {
		gid_t g = 65534;

		if (setgroups(1, &g) || setgid(65534) || setuid(65534))
			_exit(2);
		fd = open("/sys/kernel/debug/vmainfo/query", O_RDWR);
		if (fd < 0)
			_exit(3);
		fd_msg(&msg, &iov, &c, u.buf, sizeof(u.buf));
		CMSG_FIRSTHDR(&msg)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&msg)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&msg)->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), &fd, sizeof(int));
		_exit(sendmsg(sv[1], &msg, 0) == 1 ? 0 : 4);
	}
	fd_msg(&msg, &iov, &c, u.buf, sizeof(u.buf));
	if (recvmsg(sv[0], &msg, 0) != 1 || !CMSG_FIRSTHDR(&msg)) {
		int st;

		waitpid(child, &st, 0);
		FAIL("no descriptor from the unprivileged opener (child exit %d)", WEXITSTATUS(st));
		return 1;
	}
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	waitpid(child, NULL, 0);
	if (write(fd, "1", 1) < 0)
		e = errno;
	if (e != EACCES)
		FAIL("root writing pid 1 into a file opened by uid 65534: %s, want EACCES", errname(e));
	close(fd);
	return failures != 0;
}

struct run { unsigned long start, end; int state; };	/* 0 none 1 present 2 huge 3 swap */

static int check_pagemap(long pid)
{
	char sel[32], path[64], *buf, *line, *save = NULL;
	size_t len, nr = 0, cap = 0, ri = 0, vi = 0;
	struct run *runs = NULL;
	struct vmi_doc doc;
	uint64_t *pm = malloc(65536 * 8);
	int fd, pmfd;

	fd = open("/sys/kernel/debug/vmainfo/pagemap", O_RDWR);
	if (fd < 0)
		die("open debugfs pagemap");
	snprintf(sel, sizeof(sel), "%ld", pid);
	if (write(fd, sel, strlen(sel)) < 0)
		die("select");
	if (read_all(fd, &buf, &len))
		die("read page map");
	close(fd);
	load_user(pid, &doc);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long s, e, n;
		char state[16];

		if (!strncmp(line, "vma ", 4)) {
			if (sscanf(line + 4, "%lx-%lx", &s, &e) != 2)
				FAIL("bad vma line: %s", line);
			else if (vi >= doc.nvmas || doc.vmas[vi].start != s || doc.vmas[vi].end != e)
				FAIL("page map VMA %lx-%lx is not VMA %zu of /proc/vmainfo", s, e, vi);
			vi++;
			continue;
		}
		if (sscanf(line, "%lx-%lx %lu %15s", &s, &e, &n, state) != 4 || e <= s ||
		    (e - s) / PAGE != n) {
			FAIL("bad run line: %s", line);
			continue;
		}
		if (nr == cap) {
			cap = cap ? cap * 2 : 1024;
			runs = realloc(runs, cap * sizeof(*runs));
		}
		runs[nr].start = s;
		runs[nr].end = e;
		runs[nr].state = pm_state_of(state);
		if (runs[nr].state < 0)
			FAIL("bad state: %s", line);
		if (nr && runs[nr].start < runs[nr - 1].end)
			FAIL("runs overlap or go back: %s", line);
		nr++;
	}
	if (vi != doc.nvmas)
		FAIL("page map has %zu VMAs, /proc/vmainfo %zu", vi, doc.nvmas);
	snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
	pmfd = open(path, O_RDONLY);
	if (pmfd < 0)
		die("open %s", path);
	for (vi = 0; vi < doc.nvmas && failures < 20; vi++) {
		struct vmi_vma *v = &doc.vmas[vi];
		long long present = 0, swap = 0;
		unsigned long a = v->start;

		while (a < v->end && failures < 20) {
			size_t chunk = (v->end - a) / PAGE, k;

			if (chunk > 65536)
				chunk = 65536;
			if (pread(pmfd, pm, chunk * 8, (off_t)(a / PAGE * 8)) != (ssize_t)(chunk * 8))
				die("pread pagemap");
			for (k = 0; k < chunk; k++, a += PAGE) {
				int p = (int)(pm[k] >> 63 & 1), sw = (int)(pm[k] >> 62 & 1);
				int ours;

				present += p;
				swap += sw;
				while (ri < nr && runs[ri].end <= a)
					ri++;
				if (ri >= nr || runs[ri].start > a) {
					FAIL("no run covers page %lx", a);
					break;
				}
				ours = runs[ri].state;
				if (p != (ours == PM_PRESENT || ours == PM_HUGE) || sw != (ours == PM_SWAP)) {
					FAIL("page %lx: pagemap present=%d swap=%d, page map says %d",
					     a, p, sw, ours);
					break;
				}
			}
		}
		if (present != v->present || swap != v->swap)
			FAIL("VMA %lx-%lx: pagemap sums present=%lld swap=%lld, vmainfo %lld %lld",
			     v->start, v->end, present, swap, v->present, v->swap);
	}
	close(pmfd);
	free(pm);
	free(runs);
	free(buf);
	vmi_doc_free(&doc);
	return failures != 0;
}

static struct vmi_vma *vma_at(struct vmi_doc *doc, unsigned long addr)
{
	for (size_t i = 0; i < doc->nvmas; i++)
		if (doc->vmas[i].start <= addr && addr < doc->vmas[i].end)
			return &doc->vmas[i];
	errno = 0;
	die("no VMA holds 0x%lx", addr);
}

static int check_thp(long pid, unsigned long addr)
{
	char path[64], *sm, *p;
	struct vmi_doc doc;
	struct vmi_vma *v;
	long kb = -1;

	load(pid, &doc);
	v = vma_at(&doc, addr);
	snprintf(path, sizeof(path), "/proc/%ld/smaps", pid);
	sm = slurp(path, NULL);
	for (p = sm; p; p = strchr(p, '\n')) {
		unsigned long s, e;

		if (*p == '\n')
			p++;
		if (sscanf(p, "%lx-%lx ", &s, &e) == 2 && s == v->start) {
			char *q = strstr(p, "AnonHugePages:");

			if (q)
				kb = strtol(q + 14, NULL, 10);
			break;
		}
	}
	if (kb < 0)
		FAIL("no smaps AnonHugePages for %lx", v->start);
	else if (kb != v->huge * 4)
		FAIL("VMA %lx: smaps AnonHugePages %ld kB, vmainfo huge %lld pages", v->start, kb,
		     v->huge);
	else if (!kb)
		FAIL("VMA %lx has no huge pages", v->start);
	free(sm);
	vmi_doc_free(&doc);
	return failures != 0;
}

static int check_cnt(long pid, unsigned long addr, const char *col, long long want)
{
	struct vmi_doc doc;
	struct vmi_vma *v;
	long long got;

	load(pid, &doc);
	v = vma_at(&doc, addr);
	got = !strcmp(col, "present") ? v->present : !strcmp(col, "swap") ? v->swap : v->huge;
	if (got != want)
		FAIL("VMA %lx-%lx: %s is %lld, want %lld", v->start, v->end, col, got, want);
	vmi_doc_free(&doc);
	return failures != 0;
}

/* Pages present and swapped in [s, e) according to /proc/PID/pagemap. */
static void pagemap_sums(int fd, unsigned long s, unsigned long e, long long *present,
			 long long *swap)
{
	static uint64_t pm[65536];

	*present = *swap = 0;
	while (s < e) {
		size_t n = (e - s) / PAGE > 65536 ? 65536 : (e - s) / PAGE;

		if (pread(fd, pm, n * 8, (off_t)(s / PAGE * 8)) != (ssize_t)(n * 8))
			die("pread pagemap");
		for (size_t k = 0; k < n; k++) {
			*present += pm[k] >> 63 & 1;
			*swap += pm[k] >> 62 & 1;
		}
		s += n * PAGE;
	}
}

/*
 * The DENSITY column of the CLI's default view (FILE, `vmainfo --no-color
 * PID` run as root) against /proc/PID/pagemap: each of a VMA's 12 cells, a
 * twelfth of it, is '.' with no page present, '#' with all, else one of
 * ":-=+*" by the present share (vmainfo(1)).  The CLI draws these from the
 * debugfs page map or, for a VMA all or nothing present, from its counts.
 */
static int check_density(long pid, const char *file)
{
	static const char levels[] = ".:-=+*#";
	char *text = slurp(file, NULL), *line, *save = NULL, path[64];
	int fd, lines = 0, partial = 0;

	snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open pagemap");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char dens[32], want[13];
		unsigned long s, e;
		long long pres = 0, swap, all = 0;

		if (sscanf(line, "%lx %lx %*s %*s %*s %*s %*s %31s", &s, &e, dens) != 3 ||
		    s >= e || s >= 1UL << 56)	/* not a VMA line; or the gate */
			continue;
		lines++;
		for (int c = 0; c < 12; c++) {
			unsigned long span = e - s, cs = s + span / 12 * c,
				      ce = c == 11 ? e : s + span / 12 * (c + 1), have = 0;

			/* present bytes of the cell: its first and last page, those between */
			unsigned long p0 = cs & ~(PAGE - 1), p1 = (ce - 1) & ~(PAGE - 1);

			if (ce > cs && p0 == p1) {
				pagemap_sums(fd, p0, p0 + PAGE, &pres, &swap);
				have = pres ? ce - cs : 0;
			} else if (ce > cs) {
				pagemap_sums(fd, p0, p0 + PAGE, &pres, &swap);
				have = pres ? p0 + PAGE - cs : 0;
				pagemap_sums(fd, p1, p1 + PAGE, &pres, &swap);
				have += pres ? ce - p1 : 0;
				if (p0 + PAGE < p1) {
					pagemap_sums(fd, p0 + PAGE, p1, &pres, &swap);
					have += (unsigned long)pres * PAGE;
				}
			}
			want[c] = ce <= cs || !have ? '.' : have >= ce - cs ? '#' :
				  levels[1 + (int)(have * 5 / (ce - cs))];
		}
		want[12] = 0;
		pagemap_sums(fd, s, e, &all, &swap);
		if (all && all < (long long)((e - s) / PAGE))
			partial++;
		if (strcmp(dens, want))
			FAIL("VMA %lx-%lx: density %s, pagemap gives %s", s, e, dens, want);
	}
	printf("# %d VMA lines, %d partly present\n", lines, partial);
	if (!lines)
		FAIL("no VMA line in %s", file);
	close(fd);
	free(text);
	return failures != 0;
}

static unsigned long jhex(const struct jv *o, const char *key);

/* A "Key:   N kB" value of /proc/PID/smaps_rollup, or -1. */
static long long rollup_kb(long pid, const char *key)
{
	char path[64], line[256];
	long long v = -1;
	size_t kl = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", pid);
	f = fopen(path, "r");
	if (!f)
		die("open %s", path);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':')
			v = atoll(line + kl + 1);
	fclose(f);
	return v;
}

/*
 * FILE is `vmainfo --json share PID` of a stopped PID: its rollup has
 * smaps_rollup's Rss, Pss, Shared_* and Private_* (uss = Private_Clean +
 * Private_Dirty, shared = Shared_Clean + Shared_Dirty), one VMA object per
 * maps line in order, each with the kind and path of our text.
 */
static int check_share_json(long pid, const char *file)
{
	static const char *const keys[][2] = {
		{ "rss", "Rss" }, { "pss", "Pss" }, { "shared_clean", "Shared_Clean" },
		{ "shared_dirty", "Shared_Dirty" }, { "private_clean", "Private_Clean" },
		{ "private_dirty", "Private_Dirty" }, { "anonymous", "Anonymous" },
	};
	size_t len;
	char *text = slurp(file, &len);
	struct jv *doc = jparse(text, len);
	const struct jv *roll = jget(doc, "rollup"), *vmas = jget(doc, "vmas"), *x;
	struct maps maps;

	if (!doc || !roll || !vmas || vmas->t != J_ARR) {
		FAIL("%s: not JSON with \"rollup\" and a \"vmas\" array", file);
		return 1;
	}
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		long long want = rollup_kb(pid, keys[k][1]);

		if (!(x = jget(roll, keys[k][0])) || x->t != J_NUM || x->num != (double)want)
			FAIL("rollup %s is not smaps_rollup's %s (%lld kB)", keys[k][0], keys[k][1],
			     want);
	}
	if (!(x = jget(roll, "uss")) || x->t != J_NUM ||
	    x->num != (double)(rollup_kb(pid, "Private_Clean") + rollup_kb(pid, "Private_Dirty")))
		FAIL("rollup uss is not Private_Clean + Private_Dirty");
	maps_read(pid, &maps);
	if (vmas->n != maps.n - (strstr(maps.v[maps.n - 1].line, "[vsyscall]") ? 1 : 0))
		FAIL("%zu VMA objects, maps has %zu lines", vmas->n, maps.n);
	for (size_t i = 0; i < vmas->n && i < maps.n; i++) {
		const struct jv *v = vmas->items[i];

		if (jhex(v, "start") != maps.v[i].start || jhex(v, "end") != maps.v[i].end)
			FAIL("VMA %zu: not maps' %lx-%lx", i, maps.v[i].start, maps.v[i].end);
		if (!(x = jget(v, "kind")) || x->t != J_STR || !*x->str)
			FAIL("VMA %lx: no kind", maps.v[i].start);
		if (!(x = jget(v, "path")) || x->t != J_STR || strcmp(x->str, maps.v[i].name))
			FAIL("VMA %lx: path is not maps' \"%s\"", maps.v[i].start, maps.v[i].name);
	}
	printf("# %zu VMAs, rollup rss %lld kB pss %lld kB\n", vmas->n, rollup_kb(pid, "Rss"),
	       rollup_kb(pid, "Pss"));
	free(text);
	return failures != 0;
}

static unsigned long jhex(const struct jv *o, const char *key)
{
	const struct jv *v = jget(o, key);

	if (!v || v->t != J_STR || strncmp(v->str, "0x", 2)) {
		FAIL("\"%s\" is not a \"0x...\" string", key);
		return 0;
	}
	return strtoul(v->str, NULL, 16);
}

static int check_json(long pid, const char *file)
{
	char path[64], *text;
	struct jv *doc, *vmas, *mm;
	struct proc_stat st;
	struct maps maps;
	size_t len, i = 0;
	int pmfd;

	text = slurp(file, &len);
	doc = jparse(text, len);
	if (!doc) {
		FAIL("%s is not valid JSON", file);
		return 1;
	}
	vmas = jget(doc, "vmas");
	mm = jget(doc, "mm");
	if (!vmas || vmas->t != J_ARR || !mm || mm->t != J_OBJ) {
		FAIL("no \"vmas\" array or \"mm\" object");
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
	pmfd = open(path, O_RDONLY);
	if (pmfd < 0)
		die("open %s", path);
	maps_read(pid, &maps);
	for (i = 0; i < maps.n; i++) {
		const struct maps_line *ml = &maps.v[i];
		unsigned long s0 = ml->start, e0 = ml->end, ino = ml->ino;
		unsigned long long off = ml->off;
		unsigned int maj = ml->maj, min = ml->min;
		const char *perms = ml->perms, *line = ml->line, *p;
		long long present, swap;
		const struct jv *v, *x;
		char dev[8];

		if (ml->prefix < 0)
			die("maps line %s", ml->line);
		p = ml->name;
		if (i >= vmas->n) {
			FAIL("JSON has fewer VMAs than maps");
			break;
		}
		v = vmas->items[i];
		snprintf(dev, sizeof(dev), "%02x:%02x", maj, min);
		if (jhex(v, "start") != s0 || jhex(v, "end") != e0 || jhex(v, "pgoff") != off)
			FAIL("VMA %zu: JSON range/pgoff differ from maps %s", i, line);
		if (!(x = jget(v, "perms")) || x->t != J_STR || strcmp(x->str, perms))
			FAIL("VMA %zu: perms differ from maps %s", i, line);
		if (!(x = jget(v, "dev")) || x->t != J_STR || strcmp(x->str, dev))
			FAIL("VMA %zu: dev differs from maps %s", i, line);
		if (!(x = jget(v, "inode")) || x->t != J_NUM || x->num != (double)ino)
			FAIL("VMA %zu: inode differs from maps %s", i, line);
		if (!(x = jget(v, "path")) || x->t != J_STR || strcmp(x->str, p))
			FAIL("VMA %zu: path differs from maps '%s'", i, p);
		if (!(x = jget(v, "flags")) || x->t != J_ARR)
			FAIL("VMA %zu: no flags array", i);
		if (!(x = jget(v, "kind")) || x->t != J_STR || !*x->str)
			FAIL("VMA %zu: no kind", i);
		if (!(x = jget(v, "huge")) || x->t != J_NUM)
			FAIL("VMA %zu: no huge count", i);
		/* pagemap ends at the task size; smaps shows no Rss for the gate */
		if (!strcmp(p, "[vsyscall]"))
			present = swap = 0;
		else
			pagemap_sums(pmfd, s0, e0, &present, &swap);
		if (!(x = jget(v, "present")) || x->t != J_NUM || x->num != (double)present)
			FAIL("VMA %zu (%lx): present differs from pagemap (%lld)", i, s0, present);
		if (!(x = jget(v, "swap")) || x->t != J_NUM || x->num != (double)swap)
			FAIL("VMA %zu (%lx): swap differs from pagemap (%lld)", i, s0, swap);
		if (failures > 10)
			break;
	}
	if (!failures && i != vmas->n)
		FAIL("JSON has %zu VMAs, maps %zu", vmas->n, i);
	/* the mm object against /proc/PID/stat */
	stat_read(pid, &st);
	if (jhex(mm, "start_code") != st.f[26] || jhex(mm, "end_code") != st.f[27] ||
	    jhex(mm, "start_stack") != st.f[28] || jhex(mm, "start_data") != st.f[45] ||
	    jhex(mm, "end_data") != st.f[46] || jhex(mm, "start_brk") != st.f[47])
		FAIL("mm object differs from /proc/PID/stat");
	jhex(mm, "brk");
	{
		const struct jv *mc = jget(mm, "map_count");
		/* mm->map_count does not count the gate area maps lists last */
		size_t nv = i - (i && !strcmp(maps.v[i - 1].name, "[vsyscall]"));

		if (!mc || mc->t != J_NUM || mc->num != (double)nv)
			FAIL("mm.map_count is not the %zu VMAs of maps", nv);
	}
	close(pmfd);
	maps_free(&maps);
	free(text);
	return failures != 0;
}

static unsigned long fact(const char *facts, const char *key)
{
	char *t = slurp(facts, NULL), *p, k[32];
	unsigned long v = 0;

	snprintf(k, sizeof(k), "%s=", key);
	p = strstr(t, k);
	if (!p)
		FAIL("no %s in %s", key, facts);
	else
		v = strtoul(p + strlen(k), NULL, 0);
	free(t);
	return v;
}

struct ev { char call[12]; unsigned long a[6]; long long ret; unsigned tgid; };

static int check_trace(const char *file, const char *facts)
{
	unsigned long pid = fact(facts, "pid"), brk1 = fact(facts, "brk1"), big = fact(facts, "big");
	unsigned long brk2 = fact(facts, "brk2"), brk3 = fact(facts, "brk3"), brk4 = fact(facts, "brk4");
	char *t = slurp(file, NULL), *line, *save = NULL;
	struct ev *ev = NULL;
	size_t n = 0, i, start = (size_t)-1, end = (size_t)-1, pre_brk = 0;
	int summary = 0;

	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct jv *d = jparse(line, strlen(line)), *x;

		if (!d) {
			FAIL("not JSON: %.80s", line);
			continue;
		}
		if (jget(d, "summary")) {
			summary = 1;
			continue;
		}
		if (!(x = jget(d, "call")) || x->t != J_STR)
			continue;
		ev = realloc(ev, (n + 1) * sizeof(*ev));
		snprintf(ev[n].call, sizeof(ev[n].call), "%s", x->str);
		x = jget(d, "args");
		for (i = 0; i < 6 && x && x->t == J_ARR && i < x->n; i++)
			ev[n].a[i] = strtoul(x->items[i]->str, NULL, 16);
		ev[n].ret = (long long)jget(d, "ret")->num;
		ev[n].tgid = (unsigned)jget(d, "tgid")->num;
		if (ev[n].tgid != pid)
			FAIL("event of another process (tgid %u)", ev[n].tgid);
		if (!strcmp(ev[n].call, "madvise") && ev[n].a[1] == 0) {
			if (ev[n].a[0] == 0x1000)
				start = n;
			if (ev[n].a[0] == 0x2000)
				end = n;
		}
		if (start == (size_t)-1 && !strcmp(ev[n].call, "brk"))
			pre_brk++;
		n++;
	}
	if (start == (size_t)-1 || end == (size_t)-1 || end < start) {
		FAIL("markers not found (start %zd, end %zd, %zu events)", start, end, n);
		return 1;
	}
	if (!pre_brk)
		FAIL("no brk event before main() (static glibc sets up TLS with brk)");
	/*
	 * The small mallocs lie in the heap the brk events built: the first break
	 * seen is at or below them and the break reached, before the big mmap, is
	 * brk1 and above them (static glibc may grow the heap before main()).
	 */
	{
		unsigned long lo = fact(facts, "small_lo"), hi = fact(facts, "small_hi");
		unsigned long first = 0, last = 0;

		for (i = 0; i < n && strcmp(ev[i].call, "mmap"); i++)
			if (!strcmp(ev[i].call, "brk") && ev[i].ret > 0) {
				if (!first)
					first = (unsigned long)ev[i].ret;
				last = (unsigned long)ev[i].ret;
			}
		if (!(first && first <= lo && hi <= last && last == brk1))
			FAIL("brk events do not build a heap [0x%lx, 0x%lx) covering the small mallocs [0x%lx, 0x%lx), brk1 0x%lx",
			     first, last, lo, hi, brk1);
	}
	/* In order after main(): mmap >= 1 MiB holding big, its munmap, brk shrink
	 * to brk2, growth by 64 KiB to brk3, shrink to brk4. */
	i = start + 1;
#define NEXT(cond, what) do { while (i < end && !(cond)) i++; \
	if (i >= end) { FAIL("not found in order: %s", what); goto out; } } while (0)
	NEXT(!strcmp(ev[i].call, "mmap") && ev[i].a[1] >= (1 << 20) &&
	     (unsigned long)ev[i].ret <= big && big < (unsigned long)ev[i].ret + ev[i].a[1],
	     "mmap of at least 1 MiB holding the big malloc");
	{
		unsigned long m = (unsigned long)ev[i].ret, len = ev[i].a[1];

		NEXT(!strcmp(ev[i].call, "munmap") && ev[i].a[0] == m && ev[i].a[1] == len,
		     "munmap of that mapping, same size");
	}
	NEXT(!strcmp(ev[i].call, "brk") && (unsigned long)ev[i].ret == brk2 && brk2 < brk1,
	     "brk shrink to brk2 (malloc_trim)");
	NEXT(!strcmp(ev[i].call, "brk") && (unsigned long)ev[i].ret == brk3 && brk3 == brk2 + 65536,
	     "brk growth by exactly 64 KiB");
	NEXT(!strcmp(ev[i].call, "brk") && (unsigned long)ev[i].ret == brk4 && brk4 == brk2,
	     "brk shrink by exactly 64 KiB");
out:
	if (!summary)
		FAIL("no summary object at the end");
	free(ev);
	free(t);
	return failures != 0;
}

/* ---------------------------------------------------------------------------
 * Coverage checks (issue 19), each against the kernel's own files (cov-*
 * in cmds[]).
 * -------------------------------------------------------------------------*/
#include <time.h>
#include <pthread.h>
#include <elf.h>
#include <sys/syscall.h>
#include <sys/prctl.h>

#define KPF_THP_BIT	22
#define KPF_ZERO_BIT	24

/* Write SEL to a debugfs file and read all it then gives. */
static char *cov_select(const char *file, const char *sel, size_t *len)
{
	int fd = open(file, O_RDWR);
	char *buf;

	if (fd < 0)
		die("open %s", file);
	if (write(fd, sel, strlen(sel)) < 0)
		die("select '%s'", sel);
	if (read_all(fd, &buf, len))
		die("read %s", file);
	close(fd);
	return buf;
}

static int has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

static uint64_t kpageflags(int fd, uint64_t pfn)
{
	uint64_t v;

	if (pread(fd, &v, 8, (off_t)(pfn * 8)) != 8)
		die("pread kpageflags %#llx", (unsigned long long)pfn);
	return v;
}

/* The pfn of each run line, in the order of the lines. */
static unsigned long *run_pfns(const char *t, size_t len, size_t *n)
{
	unsigned long *v = NULL;
	size_t cap = 0;
	const char *p = t, *end = t + len;

	*n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q;

		if (!nl)
			break;
		if (strncmp(p, "vma ", 4)) {
			if (*n == cap)
				v = realloc(v, (cap = cap * 2 + 64) * sizeof(*v));
			q = memmem(p, (size_t)(nl - p), " pfn:0x", 7);
			v[(*n)++] = q ? strtoul(q + 7, NULL, 16) : ~0UL;
		}
		p = nl + 1;
	}
	return v;
}

static int cov_pflags(long pid, unsigned long addr, long npages, const char *state,
		      const char *want, const char *not)
{
	unsigned long end = addr + (unsigned long)npages * PAGE, *pfns;
	char sel[128], path[64];
	struct pm_doc pm;
	struct vmi_doc doc;
	struct pm_run **page;
	uint64_t *pme;
	size_t len, np, ri = 0;
	char *t;
	int pmfd, kfd, sd_exact;

	load(pid, &doc);
	sd_exact = !has_word(vma_at(&doc, addr)->flags, "sd");
	snprintf(sel, sizeof(sel), "%ld 0x%lx 0x%lx pfn", pid, addr, end);
	t = cov_select("/sys/kernel/debug/vmainfo/pagemap", sel, &len);
	if (pm_parse(t, len, &pm)) {
		FAIL("page map of %s does not parse", sel);
		return 1;
	}
	pfns = run_pfns(t, len, &np);
	page = calloc((size_t)npages, sizeof(*page));
	pme = malloc((size_t)npages * 8);
	for (size_t i = 0; i < pm.nvmas; i++) {
		for (size_t j = 0; j < pm.vmas[i].nruns; j++, ri++) {
			struct pm_run *r = &pm.vmas[i].runs[j];

			if (r->start < addr || r->end > end || r->start < pm.vmas[i].start ||
			    r->end > pm.vmas[i].end) {
				FAIL("run %lx-%lx outside [%lx, %lx) or its VMA", r->start, r->end,
				     addr, end);
				continue;
			}
			if (ri < np)
				r->pages = pfns[ri];	/* reuse: the run's first frame */
			for (unsigned long a = r->start; a < r->end; a += PAGE) {
				if (page[(a - addr) / PAGE])
					FAIL("page %lx in two runs", a);
				page[(a - addr) / PAGE] = r;
			}
		}
	}
	snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
	pmfd = open(path, O_RDONLY);
	kfd = open("/proc/kpageflags", O_RDONLY);
	if (pmfd < 0 || kfd < 0)
		die("open pagemap/kpageflags");
	if (pread(pmfd, pme, (size_t)npages * 8, (off_t)(addr / PAGE * 8)) != npages * 8)
		die("pread %s", path);
	for (long k = 0; k < npages && failures < 10; k++) {
		unsigned long a = addr + (unsigned long)k * PAGE;
		struct pm_run *r = page[k];
		uint64_t e = pme[k], pfn = e & ((1ULL << 55) - 1), kpf = 0;
		int present = (int)(e >> 63), swap = (int)(e >> 62 & 1), ours_zero, zero = 0;
		int hzero = 0;

		if (!r) {
			FAIL("no run covers %lx", a);
			continue;
		}
		if (present != (r->state == PM_PRESENT || r->state == PM_HUGE) ||
		    swap != (r->state == PM_SWAP))
			FAIL("%lx: pagemap present=%d swap=%d, page map %s", a, present, swap,
			     pm_state_name(r->state));
		if (strcmp(state, "any") && strcmp(state, pm_state_name(r->state)))
			FAIL("%lx: state %s, want %s", a, pm_state_name(r->state), state);
		if (present) {
			unsigned long ours = r->pages + (a - r->start) / PAGE;

			if (r->pages == ~0UL || ours != pfn)
				FAIL("%lx: pagemap pfn %#llx, page map %#lx", a,
				     (unsigned long long)pfn, r->pages == ~0UL ? 0 : ours);
			kpf = kpageflags(kfd, pfn);
			zero = (kpf >> KPF_ZERO_BIT & 1) && !(kpf >> KPF_THP_BIT & 1);
			hzero = (kpf >> KPF_ZERO_BIT & 1) && (kpf >> KPF_THP_BIT & 1);
		}
		ours_zero = has_word(r->flags, "zero");
		if (ours_zero != zero)
			FAIL("%lx: zero flag %d, kpageflags says zero page %d (kpf %#llx)", a,
			     ours_zero, zero, (unsigned long long)kpf);
		if ((present || swap) && sd_exact && has_word(r->flags, "softdirty") != (int)(e >> 55 & 1))
			FAIL("%lx: softdirty flag %d, pagemap bit 55 %d", a,
			     has_word(r->flags, "softdirty"), (int)(e >> 55 & 1));
		for (int pass = 0; pass < 2; pass++) {
			char list[128], *w, *save = NULL;

			snprintf(list, sizeof(list), "%s", pass ? not : want);
			for (w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
				int have;

				if (!strcmp(w, "-"))
					continue;
				have = !strcmp(w, "excl") ?
					   (int)(e >> 56 & 1) : !strcmp(w, "hzero") ? hzero :
					   has_word(r->flags, w);

				if (have == pass)
					FAIL("%lx (run %lx-%lx %s %s): %s %s", a, r->start, r->end,
					     pm_state_name(r->state), r->flags,
					     pass ? "has" : "lacks", w);
			}
		}
	}
	close(pmfd);
	close(kfd);
	free(page);
	free(pme);
	free(pfns);
	free(t);
	pm_free(&pm);
	vmi_doc_free(&doc);
	return failures != 0;
}

/*
 * The VMAs of /proc/PID/maps, as [start, end) pairs, but the x86 vsyscall
 * gate area (above the task size: no page map, no pagemap).
 */
static size_t maps_ranges(long pid, unsigned long (**r)[2])
{
	struct maps m;
	size_t i, n = 0;

	maps_read(pid, &m);
	*r = xmalloc((m.n ? m.n : 1) * sizeof(**r));
	for (i = 0; i < m.n; i++) {
		if (!strcmp(m.v[i].name, "[vsyscall]"))
			continue;
		(*r)[n][0] = m.v[i].start;
		(*r)[n][1] = m.v[i].end;
		n++;
	}
	maps_free(&m);
	return n;
}

static void clip_one(long pid, int pmfd, unsigned long (*v)[2], size_t nv, unsigned long s,
		     unsigned long e)
{
	unsigned long lo = s & ~(PAGE - 1), hi = (e + PAGE - 1) & ~(PAGE - 1);
	char sel[96];
	struct pm_doc pm;
	size_t len, vi = 0;
	char *t;

	snprintf(sel, sizeof(sel), "%ld 0x%lx 0x%lx", pid, s, e);
	t = cov_select("/sys/kernel/debug/vmainfo/pagemap", sel, &len);
	if (pm_parse(t, len, &pm)) {
		FAIL("'%s': page map does not parse", sel);
		free(t);
		return;
	}
	for (size_t i = 0; i < nv; i++) {
		unsigned long a, b, at;
		struct pm_vma *pv;

		if (v[i][1] <= lo || v[i][0] >= hi)
			continue;
		a = v[i][0] > lo ? v[i][0] : lo;
		b = v[i][1] < hi ? v[i][1] : hi;
		if (vi >= pm.nvmas || pm.vmas[vi].start != v[i][0] || pm.vmas[vi].end != v[i][1]) {
			FAIL("'%s': maps VMA %lx-%lx missing or out of order", sel, v[i][0], v[i][1]);
			break;
		}
		pv = &pm.vmas[vi++];
		at = a;
		for (size_t j = 0; j < pv->nruns; j++) {
			if (pv->runs[j].start != at) {
				FAIL("'%s': run %lx-%lx where %lx was due", sel, pv->runs[j].start,
				     pv->runs[j].end, at);
				break;
			}
			at = pv->runs[j].end;
			for (unsigned long x = pv->runs[j].start; x < pv->runs[j].end; x += PAGE) {
				uint64_t pe;

				if (pread(pmfd, &pe, 8, (off_t)(x / PAGE * 8)) != 8)
					die("pread pagemap");
				if ((int)(pe >> 63) != (pv->runs[j].state == PM_PRESENT ||
							pv->runs[j].state == PM_HUGE)) {
					FAIL("'%s': %lx state %s, pagemap present %d", sel, x,
					     pm_state_name(pv->runs[j].state), (int)(pe >> 63));
					break;
				}
			}
		}
		if (at != b)
			FAIL("'%s': VMA %lx-%lx: runs cover [%lx, %lx), want [%lx, %lx)", sel,
			     v[i][0], v[i][1], a, at, a, b);
	}
	if (vi != pm.nvmas)
		FAIL("'%s': %zu VMA lines, maps has %zu VMAs in the range", sel, pm.nvmas, vi);
	pm_free(&pm);
	free(t);
}

static int cov_clip(long pid)
{
	unsigned long (*v)[2];
	size_t nv = maps_ranges(pid, &v), tried = 0;
	char path[64];
	int pmfd;

	snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
	pmfd = open(path, O_RDONLY);
	if (pmfd < 0)
		die("open %s", path);
	for (size_t i = 0; i < nv && failures < 10; i++) {
		unsigned long s = v[i][0], e = v[i][1];

		if (e - s >= 3 * PAGE) {	/* unaligned, inside one VMA */
			clip_one(pid, pmfd, v, nv, s + PAGE + 123, e - PAGE - 5);
			tried++;
		}
		clip_one(pid, pmfd, v, nv, s + (e - s) / 2 + 1, s + (e - s) / 2 + 2);
		if (i + 1 < nv) {		/* across the boundary (and any hole) */
			unsigned long a = e - PAGE - 7 > s ? e - PAGE - 7 : s;
			unsigned long b = v[i + 1][0] + PAGE + 9 < v[i + 1][1] ?
					  v[i + 1][0] + PAGE + 9 : v[i + 1][1];

			clip_one(pid, pmfd, v, nv, a, b);
			tried++;
		}
	}
	printf("# %zu VMAs, %zu clipped ranges and %zu one-page ranges checked\n", nv, tried, nv);
	if (nv < 5)
		FAIL("only %zu VMAs", nv);
	close(pmfd);
	free(v);
	return failures != 0;
}

static int cov_pmorder(long pid, long n, size_t bytes)
{
	long reads = 0, runs = 0, jumps = 0;
	char sel[32];

	snprintf(sel, sizeof(sel), "%ld pfn", pid);
	for (long r = 0; r < n && failures < 5; r++) {
		int fd = open("/sys/kernel/debug/vmainfo/pagemap", O_RDWR);
		size_t len = 0, cap = 1 << 16;
		char *t = malloc(cap);
		struct pm_doc pm;
		unsigned long prev = 0;
		ssize_t k;

		if (fd < 0 || write(fd, sel, strlen(sel)) < 0)
			die("select %s", sel);
		for (;;) {
			if (cap - len < bytes)
				t = realloc(t, cap = cap * 2 + bytes);
			k = read(fd, t + len, bytes);
			if (k < 0)
				die("read page map");
			if (!k)
				break;
			len += (size_t)k;
		}
		close(fd);
		if (!len) {
			FAIL("read %ld: empty (target gone?)", r);
			free(t);
			break;
		}
		if (pm_parse(t, len, &pm)) {
			FAIL("read %ld: does not parse", r);
			free(t);
			break;
		}
		reads++;
		for (size_t i = 0; i < pm.nvmas; i++) {
			if (pm.vmas[i].nruns && pm.vmas[i].runs[0].start < pm.vmas[i].start)
				FAIL("read %ld: run %lx before its vma line %lx", r,
				     pm.vmas[i].runs[0].start, pm.vmas[i].start);
			for (size_t j = 0; j < pm.vmas[i].nruns; j++, runs++) {
				struct pm_run *x = &pm.vmas[i].runs[j];

				if (x->start < prev) {
					FAIL("read %ld: run %lx-%lx starts before the previous end %lx",
					     r, x->start, x->end, prev);
					break;
				}
				jumps += j && x->start != prev;
				prev = x->end;
			}
		}
		pm_free(&pm);
		free(t);
	}
	printf("# %ld reads of %zu-byte read()s, %ld runs, %ld gaps inside a VMA (it changed between chunks)\n",
	       reads, bytes, runs, jumps);
	return failures != 0;
}

static int cov_hwm(long pid, long min, long max)
{
	struct vmi_doc doc;
	char *st;
	long hwm, kb;

	load(pid, &doc);
	st = status_read(pid);
	hwm = (long)hdr(&doc, "hiwater_rss");
	kb = status_kb(st, "VmHWM:");
	printf("# hiwater_rss %ld pages, VmHWM %ld kB, VmRSS %ld kB\n", hwm, kb,
	       status_kb(st, "VmRSS:"));
	if (kb != hwm * 4)
		FAIL("VmHWM %ld kB, hiwater_rss %ld pages", kb, hwm);
	if (hwm < min || hwm > max)
		FAIL("hiwater_rss %ld not in [%ld, %ld]", hwm, min, max);
	free(st);
	vmi_doc_free(&doc);
	return failures != 0;
}

/* The smaps block of the VMA starting at START, or NULL; in a slurped text. */
static char *smaps_block(char *sm, unsigned long start)
{
	for (char *p = sm; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		unsigned long s, e;

		if (sscanf(p, "%lx-%lx ", &s, &e) == 2 && s == start)
			return p;
	}
	return NULL;
}

static int cov_hasflag(long pid, unsigned long addr, const char *flag)
{
	struct vmi_doc doc;
	struct vmi_vma *v;
	char path[64], *sm, *b, *f, *nl, want[8];

	load(pid, &doc);
	v = vma_at(&doc, addr);
	if (!has_word(v->flags, flag))
		FAIL("VMA %lx-%lx: flags %s lack %s", v->start, v->end, v->flags, flag);
	snprintf(path, sizeof(path), "/proc/%ld/smaps", pid);
	sm = slurp(path, NULL);
	b = smaps_block(sm, v->start);
	f = b ? strstr(b, "VmFlags:") : NULL;
	nl = f ? strchr(f, '\n') : NULL;
	if (nl)
		*nl = '\0';
	snprintf(want, sizeof(want), " %s", flag);
	if (!f || !strstr(f, want))
		FAIL("smaps VmFlags of %lx lack %s: %s", v->start, flag, f ? f : "(none)");
	free(sm);
	vmi_doc_free(&doc);
	return failures != 0;
}

/* smaps KEY (kB) of the VMA at addr, e.g. "Private_Hugetlb:" */
static long smaps_kb(long pid, unsigned long addr, const char *key)
{
	char path[64], *sm, *b, *k, *next;
	unsigned long s, e;
	long kb;

	snprintf(path, sizeof(path), "/proc/%ld/smaps", pid);
	sm = slurp(path, NULL);
	for (b = sm; b; b = next) {
		next = strchr(b, '\n');
		next = next ? next + 1 : NULL;
		if (sscanf(b, "%lx-%lx ", &s, &e) == 2 && s <= addr && addr < e)
			break;
	}
	k = b ? strstr(b, key) : NULL;
	if (!k)
		die("no %s for %lx in smaps", key, addr);
	kb = strtol(k + strlen(key) + 1, NULL, 10);
	free(sm);
	return kb;
}

static int cov_smaps(long pid, unsigned long addr, const char *key)
{
	printf("%ld\n", smaps_kb(pid, addr, key));
	return 0;
}

/*
 * The huge column of the hugetlb VMA at addr is n pages, and so is smaps'
 * hugetlb total: Private_Hugetlb plus Shared_Hugetlb, as smaps splits it by
 * the folio's mapcount and by whether the page table holding the entry is
 * shared (hugetlb_pmd_shared(): its page count, which anything holding a
 * speculative reference on that page raises for a moment).
 */
static int cov_hugetlb(long pid, unsigned long addr, long long n)
{
	long priv = smaps_kb(pid, addr, "Private_Hugetlb:");
	long shared = smaps_kb(pid, addr, "Shared_Hugetlb:");
	long long want_kb = n * (PAGE / 1024);

	check_cnt(pid, addr, "huge", n);
	if (priv + shared != want_kb)
		FAIL("smaps Private_Hugetlb %ld kB + Shared_Hugetlb %ld kB, want %lld kB in all",
		     priv, shared, want_kb);
	return failures != 0;
}

static int cov_kinds(long pid)
{
	int vdso = 0, vvar = 0;
	struct vmi_doc doc;
	struct maps m;

	load(pid, &doc);
	maps_read(pid, &m);
	for (size_t i = 0; i < m.n; i++) {
		unsigned long s = m.v[i].start, e = m.v[i].end;
		const char *want = NULL, *name = m.v[i].name;
		struct vmi_vma *v;

		if (m.v[i].prefix < 0)
			continue;
		if (!strcmp(name, "[vdso]"))
			want = "vdso", vdso++;
		else if (!strncmp(name, "[vvar", 5))
			want = "vvar", vvar++;
		else if (!strcmp(name, "[stack]"))
			want = "stack";
		else
			continue;
		v = vma_at(&doc, s);
		if (v->start != s || v->end != e || strcmp(v->kind, want))
			FAIL("maps %s: our VMA %lx-%lx is %s, want %s", m.v[i].line, v->start, v->end,
			     v->kind, want);
	}
	if (!vdso || !vvar)
		FAIL("maps has %d [vdso] and %d [vvar] lines", vdso, vvar);
	maps_free(&m);
	vmi_doc_free(&doc);
	return failures != 0;
}

/* errno of open(path), 0 if it opened (and was closed). */
static int open_err(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int write_err(const char *file, long pid)
{
	char s[32];
	int fd = open(file, O_RDWR), e = 0;

	if (fd < 0)
		die("open %s", file);
	snprintf(s, sizeof(s), "%ld", pid);
	if (write(fd, s, strlen(s)) < 0)
		e = errno;
	close(fd);
	return e;
}

static char proc_state(long pid)
{
	struct proc_stat st;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	return stat_read_path(path, &st) ? '?' : st.state;
}

static void want_err(const char *what, int got, int want)
{
	if (got != want)
		FAIL("%s: %s, want %s", what, errname(got), errname(want));
}

static void debugfs_errs(long pid, int want, const char *who)
{
	static const char *const files[] = { "query", "pagemap", "counters" };
	char what[96], file[64];

	for (size_t i = 0; i < 3; i++) {
		snprintf(file, sizeof(file), "/sys/kernel/debug/vmainfo/%s", files[i]);
		snprintf(what, sizeof(what), "%s: debugfs %s select", who, files[i]);
		want_err(what, write_err(file, pid), want);
	}
}

static int wait_file(const char *path, int exist)
{
	for (int i = 0; i < 400; i++) {
		if ((access(path, F_OK) == 0) == exist)
			return 1;
		usleep(10000);
	}
	return 0;
}

static int cov_zombie(void)
{
	char path[64], *maps;
	size_t len;
	siginfo_t si;
	pid_t c = fork();

	if (c < 0)
		die("fork");
	if (!c) {
		snprintf(path, sizeof(path), "/proc/vmainfo/%d", getpid());
		_exit(wait_file(path, 1) ? 0 : 1);	/* exit once the entry exists */
	}
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT))
		die("waitid");
	if (si.si_status)
		FAIL("the child's entry never appeared");
	/* oracles: the kernel calls it a zombie and its maps is empty */
	if (proc_state(c) != 'Z')
		FAIL("/proc/%d/stat state %c, not Z", c, proc_state(c));
	snprintf(path, sizeof(path), "/proc/%d/maps", c);
	maps = slurp(path, &len);
	if (len)
		FAIL("/proc/%d/maps of the zombie is not empty", c);
	free(maps);
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", c);
	if (access(path, F_OK))
		FAIL("the zombie's entry is gone before it was reaped");
	want_err("zombie: open of its entry", open_err(path), ESRCH);
	debugfs_errs(c, ESRCH, "zombie");
	waitpid(c, NULL, 0);
	if (!wait_file(path, 0))
		FAIL("the entry of reaped %d is still there", c);
	want_err("reaped: open of the entry", open_err(path), ENOENT);
	return failures != 0;
}

static pid_t cov_tid;

static void *cov_thread_fn(void *arg)
{
	(void)arg;
	cov_tid = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

static int cov_thread(void)
{
	char path[64], *maps;
	pthread_t t;
	size_t len;
	pid_t c;
	int pfd[2];

	if (pthread_create(&t, NULL, cov_thread_fn, NULL))
		die("pthread_create");
	while (!__atomic_load_n(&cov_tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	/* oracle: /proc/<tid> exists (hidden from readdir, reachable by name) */
	snprintf(path, sizeof(path), "/proc/%d/maps", cov_tid);
	if (access(path, R_OK))
		FAIL("/proc/%d (a thread) does not exist", cov_tid);
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", getpid());
	if (!wait_file(path, 1))
		FAIL("our own entry never appeared");
	want_err("thread group leader: open", open_err(path), 0);
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", cov_tid);
	want_err("non-leader thread id: open", open_err(path), ENOENT);
	debugfs_errs(cov_tid, ESRCH, "non-leader thread id");

	/* A thread group whose leader has exited while another thread runs. */
	if (pipe(pfd))
		die("pipe");
	c = fork();
	if (c < 0)
		die("fork");
	if (!c) {
		pthread_t t2;

		snprintf(path, sizeof(path), "/proc/vmainfo/%d", getpid());
		if (!wait_file(path, 1) || pthread_create(&t2, NULL, cov_thread_fn, NULL))
			_exit(1);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		syscall(SYS_exit, 0);		/* only this thread */
	}
	{
		char x;

		if (read(pfd[0], &x, 1) != 1)
			die("the child failed to start");
	}
	for (int i = 0; i < 400 && proc_state(c) != 'Z'; i++)
		usleep(10000);
	if (proc_state(c) != 'Z')
		FAIL("leader %d did not become a zombie (state %c)", c, proc_state(c));
	snprintf(path, sizeof(path), "/proc/%d/maps", c);
	maps = slurp(path, &len);
	if (len)
		FAIL("oracle: /proc/%d/maps is not empty after the leader exited", c);
	free(maps);
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", c);
	want_err("exited leader, live thread: open", open_err(path), ESRCH);
	debugfs_errs(c, ESRCH, "exited leader, live thread");
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return failures != 0;
}

static int cov_reuse(void)
{
	char path[64], buf[4096], *t;
	pid_t a, b = -1;
	ssize_t n;
	int fd, tries;

	a = fork();
	if (a < 0)
		die("fork");
	if (!a) {
		prctl(PR_SET_NAME, "old-proc");
		for (;;)
			pause();
	}
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", a);
	if (!wait_file(path, 1))
		die("no entry for %d", a);
	usleep(50000);		/* let the child's prctl land */
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	n = read(fd, buf, 64);
	if (n <= 0 || strncmp(buf, "pid: ", 5))
		FAIL("first read of the old file: %zd", n);
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	/* what the first chunk buffered may still come, then end of file */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n != 0)
		FAIL("read after the process died: %s, want end of file", errname(errno));
	for (tries = 0; tries < 20; tries++) {
		FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");

		if (!f || fprintf(f, "%d", a - 1) < 0 || fclose(f))
			die("ns_last_pid");
		b = fork();
		if (b < 0)
			die("fork");
		if (!b) {
			prctl(PR_SET_NAME, "new-proc");
			for (;;)
				pause();
		}
		if (b == a)
			break;
		kill(b, SIGKILL);
		waitpid(b, NULL, 0);
	}
	if (b != a) {
		FAIL("pid %d was not reused in 20 tries", a);
		return 1;
	}
	/* the new process's entry, showing it */
	for (int i = 0; i < 400; i++) {
		int f2 = open(path, O_RDONLY);
		size_t len;

		if (f2 >= 0) {
			if (read_all(f2, &t, &len))
				die("read new entry");
			close(f2);
			if (strstr(t, "\ncomm: new-proc\n")) {
				free(t);
				break;
			}
			free(t);
		}
		if (i == 399)
			FAIL("a new open of %s never showed the new process", path);
		usleep(10000);
	}
	/* procfs refuses seeks on a removed entry (EINVAL); the read decides */
	if (lseek(fd, 0, SEEK_SET) < 0 && errno != EIO && errno != EINVAL)
		FAIL("lseek of the old file: %s", errname(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		FAIL("the old file shows data after the pid was reused: %.60s", buf);
	} else if (n == 0) {
		FAIL("the old file reads end of file after the pid was reused; the docs say EIO");
	} else if (errno != EIO) {
		FAIL("the old file: %s after the pid was reused, want EIO", errname(errno));
	}
	close(fd);
	kill(b, SIGKILL);
	waitpid(b, NULL, 0);
	return failures != 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A reader that reads FILE over and over (reopening it each time, so it is
 * inside read() nearly all the time, whatever the speed of the guest) is
 * SIGKILLed 100 ms after its first read returned: it must be gone within 1 s.
 */
static int cov_killread(const char *file, const char *sel)
{
	int pfd[2], status;
	double t0, t1;
	char c = 0;
	pid_t r;

	if (pipe(pfd))
		die("pipe");
	r = fork();
	if (r < 0)
		die("fork");
	if (!r) {
		static char buf[1 << 20];
		int first = 1;

		for (;;) {
			int fd = open(file, sel ? O_RDWR : O_RDONLY);
			ssize_t n;

			if (fd < 0 || (sel && write(fd, sel, strlen(sel)) < 0))
				_exit(3);
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				if (first && write(pfd[1], "r", 1) == 1)
					first = 0;
			if (n < 0 || first)
				_exit(4);	/* a read error, or nothing to read */
			close(fd);
		}
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1 || c != 'r')
		FAIL("the reader did not start (%c)", c);
	usleep(100000);
	t0 = now();
	kill(r, SIGKILL);
	if (waitpid(r, &status, 0) != r)
		die("waitpid");
	t1 = now();
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		FAIL("the reader was not killed by SIGKILL (status %#x)", status);
	printf("# reader killed mid-read of %s: gone after %.3f s\n", file, t1 - t0);
	if (t1 - t0 > 1.0)
		FAIL("the reader took %.3f s to die", t1 - t0);
	return failures != 0;
}

/* Address of a symbol in /proc/kallsyms, or 0. */
static unsigned long ksym(const char *ks, const char *name)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof(pat), " %s\n", name);
	for (p = ks; (p = strstr(p, pat)); p++) {
		const char *l = p;

		while (l > ks && l[-1] != '\n')
			l--;
		if (p - l == 18)	/* "ADDR T" */
			return strtoul(l, NULL, 16);
	}
	return 0;
}

struct region { char name[24]; unsigned long start, end; };

static struct region *find_region(struct region *rg, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(rg[i].name, name))
			return &rg[i];
	errno = 0;
	die("layout has no region %s", name);
}

static int cov_layout(void)
{
	size_t len, nr = 0;
	char *t = slurp("/sys/kernel/debug/vmainfo/layout", &len), *line, *save = NULL;
	char *ks = slurp("/proc/kallsyms", NULL), *mods = slurp("/proc/modules", NULL);
	char *cpu = slurp("/proc/cpuinfo", NULL);
	struct region rg[16];
	unsigned long levels = 0, ts = 0, po = 0, t2m = 0, vabits = 0;
#ifdef __aarch64__
	int va52 = arm64_va52();
	unsigned long vabits_actual = 0, va_bits = 0, page_size = 0;
#else
	int la57 = strstr(cpu, " la57") != NULL;
#endif

	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct region r;

		if (sscanf(line, "paging_levels: %lu", &levels) == 1 ||
		    sscanf(line, "user_va_bits: %lu", &vabits) == 1 ||
		    sscanf(line, "task_size: %lx", &ts) == 1 ||
		    sscanf(line, "page_offset: %lx", &po) == 1 ||
		    sscanf(line, "kernel_text_2m: %lx", &t2m) == 1)
			continue;
#ifdef __aarch64__
		if (sscanf(line, "vabits_actual: %lu", &vabits_actual) == 1 ||
		    sscanf(line, "va_bits: %lu", &va_bits) == 1 ||
		    sscanf(line, "page_size: %lu", &page_size) == 1 ||
		    !strncmp(line, "ttbr", 4))
			continue;
#endif
		if (nr < 16 && sscanf(line, "%23s 0x%lx 0x%lx", r.name, &r.start, &r.end) == 3)
			rg[nr++] = r;
	}
#ifdef __aarch64__
	/* arm64: the image lies in vmalloc space; the linear map is RAM's */
	struct region *img = find_region(rg, nr, "vmalloc");
	struct region *dm = find_region(rg, nr, "linear_map");
#else
	struct region *img = find_region(rg, nr, "kernel_image");
	struct region *dm = find_region(rg, nr, "direct_map");
#endif
	struct region *txt = find_region(rg, nr, "kernel_text");
	struct region *mod = find_region(rg, nr, "modules");
	struct region *vm = find_region(rg, nr, "vmalloc");
	struct region *vmm = find_region(rg, nr, "vmemmap");
	struct region *usr = find_region(rg, nr, "user");
	unsigned long text = ksym(ks, "_text"), etext = ksym(ks, "_etext"), end = ksym(ks, "_end");
	unsigned long printk = ksym(ks, "_printk"), stext = ksym(ks, "_stext");

#ifdef __aarch64__
	/*
	 * paging: 4K pages, VA_BITS 52 (Debian's build); 52-bit VA (LPA2) has
	 * 5 levels, 48-bit 4; the user half (TTBR0) is [0, 2^vabits); the
	 * linear map starts at -2^vabits (the kernel half, TTBR1)
	 */
	if (levels != (va52 ? 5UL : 4UL) || vabits != (va52 ? 52UL : 48UL) ||
	    vabits_actual != vabits || va_bits != 52 ||
	    page_size != (unsigned long)sysconf(_SC_PAGESIZE) ||
	    ts != 1UL << vabits || usr->end != ts || po != -(1UL << vabits) || dm->start != po)
		FAIL("paging_levels %lu, user_va_bits %lu, vabits_actual %lu, va_bits %lu, "
		     "page_size %lu, task_size %lx, page_offset %lx; 52-bit VA %d",
		     levels, vabits, vabits_actual, va_bits, page_size, ts, po, va52);
#else
	/* paging: /proc/cpuinfo shows la57 exactly when 5-level paging is on */
	if (levels != (la57 ? 5UL : 4UL) || vabits != (la57 ? 56UL : 47UL) ||
	    ts != (la57 ? 0xfffffffffff000UL : 0x7ffffffff000UL) || usr->end != ts)
		FAIL("paging_levels %lu, user_va_bits %lu, task_size %lx; cpuinfo la57 %d",
		     levels, vabits, ts, la57);
#endif
	/* kernel image against /proc/kallsyms */
	if (!text || !etext || !end || !printk || !stext)
		FAIL("kallsyms lacks _text/_stext/_etext/_end/_printk (kptr_restrict?)");
	if (!(img->start <= text && text < etext && etext <= end && end <= img->end))
		FAIL("kernel_image %lx-%lx does not hold _text %lx .. _end %lx", img->start,
		     img->end, text, end);
	if (t2m != (printk & ~((2UL << 20) - 1)) || txt->start != t2m ||
	    txt->end != t2m + (2UL << 20) || !(stext <= printk && printk < etext))
		FAIL("kernel_text_2m %lx / kernel_text %lx-%lx vs _printk %lx", t2m, txt->start,
		     txt->end, printk);
	/* every module's core in the modules region (/proc/modules, root) */
	{
		char *l, *sv = NULL;
		int n = 0;

		for (l = strtok_r(mods, "\n", &sv); l; l = strtok_r(NULL, "\n", &sv)) {
			char *a = strstr(l, " 0x");
			unsigned long addr = a ? strtoul(a + 1, NULL, 16) : 0;

			n++;
#ifdef __aarch64__
			/*
			 * arm64 6.12 loads modules in a 2 GiB window around the
			 * kernel image (module_plt_base, arch/arm64/mm/init.c;
			 * branches need no PLT within 128 MiB), in vmalloc space,
			 * not at MODULES_VADDR: within 2 GiB of _text and _end.
			 */
			unsigned long size = 0;

			sscanf(l, "%*s %lu", &size);
			if (addr < vm->start || addr + size > vm->end || addr + (2UL << 30) < end ||
			    addr + size > text + (2UL << 30))
				FAIL("module at %lx (%lu bytes) outside vmalloc %lx-%lx or not within "
				     "2 GiB of the kernel image %lx-%lx: %s", addr, size, vm->start,
				     vm->end, text, end, l);
#else
			if (addr < mod->start || addr >= mod->end)
				FAIL("module at %lx outside modules %lx-%lx: %s", addr, mod->start,
				     mod->end, l);
#endif
		}
		if (!n)
			FAIL("no module in /proc/modules (vmainfo itself should be)");
	}
	/* /proc/kcore's program headers name the same ranges */
	{
		int fd = open("/proc/kcore", O_RDONLY);
		Elf64_Ehdr eh;
		int ram = 0, vmal = 0, modr = 0, vmem = 0, ktext = 0;

		if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
			die("/proc/kcore");
		for (int i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;

			if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
			    sizeof(ph))
				die("kcore phdr");
			if (ph.p_type != PT_LOAD)
				continue;
			if (ph.p_vaddr == text) {
				ktext++;
				if (ph.p_vaddr + ph.p_memsz != end)
					FAIL("kcore text ends at %lx, _end %lx",
					     (unsigned long)(ph.p_vaddr + ph.p_memsz), end);
			} else if (ph.p_vaddr == vm->start) {
				vmal++;
				if (ph.p_memsz != vm->end - vm->start)
					FAIL("kcore vmalloc size %lx, ours %lx", (unsigned long)ph.p_memsz,
					     vm->end - vm->start);
			} else if (ph.p_vaddr == mod->start) {
				modr++;
				if (ph.p_memsz != mod->end - mod->start)
					FAIL("kcore modules size %lx, ours %lx", (unsigned long)ph.p_memsz,
					     mod->end - mod->start);
			} else if (ph.p_paddr != (Elf64_Addr)-1) {	/* RAM */
				ram++;
#ifdef __aarch64__
				/* RAM sits in the linear map, at PHYS_OFFSET's offset */
				if (ph.p_vaddr < dm->start || ph.p_vaddr + ph.p_memsz > dm->end)
#else
				if (ph.p_vaddr - ph.p_paddr != po || po != dm->start ||
				    ph.p_vaddr + ph.p_memsz > dm->end)
#endif
					FAIL("kcore RAM %lx (phys %lx, %lx bytes) vs direct_map %lx-%lx",
					     (unsigned long)ph.p_vaddr, (unsigned long)ph.p_paddr,
					     (unsigned long)ph.p_memsz, dm->start, dm->end);
			} else if (ph.p_vaddr >= vmm->start && ph.p_vaddr < vmm->start + (1UL << 40)) {
				vmem++;
				if (ph.p_vaddr >= vmm->end)
					FAIL("kcore vmemmap %lx beyond ours %lx-%lx",
					     (unsigned long)ph.p_vaddr, vmm->start, vmm->end);
			}
		}
		printf("# kcore: text %d, vmalloc %d, modules %d, RAM %d, vmemmap %d headers\n",
		       ktext, vmal, modr, ram, vmem);
		if (ktext != 1 || vmal != 1 || modr != 1 || !ram || !vmem)
			FAIL("kcore headers not all found at our addresses");
		close(fd);
	}
	free(t);
	free(ks);
	free(mods);
	free(cpu);
	return failures != 0;
}

/* ---- the subcommands: name, arguments, what it checks, how it runs ---- */

static int run_trace(int n, char **a) { (void)n; return check_trace(a[0], a[1]); }
static int run_json(int n, char **a) { (void)n; return check_json(atol(a[0]), a[1]); }
static int run_deputy(int n, char **a) { (void)n, (void)a; return check_deputy(); }

static int run_jsonok(int n, char **a)
{
	size_t len;
	char *t = slurp(a[0], &len);
	struct jv *d = jparse(t, len);

	(void)n;
	if (!d || !jget(d, a[1]))
		FAIL("%s: not valid JSON with a \"%s\" member", a[0], a[1]);
	return failures != 0;
}

static int run_pagemap(int n, char **a) { (void)n; return check_pagemap(atol(a[0])); }
static int run_thp(int n, char **a) { (void)n; return check_thp(atol(a[0]), strtoul(a[1], NULL, 0)); }

static int run_cnt(int n, char **a)
{
	(void)n;
	return check_cnt(atol(a[0]), strtoul(a[1], NULL, 0), a[2], atoll(a[3]));
}

static int run_write(int n, char **a) { (void)n; return check_write(a[0], a[1], a[2]); }
static int run_writeb(int n, char **a) { (void)n; return check_writeb(a[0], a[1]); }

static int run_readfd(int n, char **a)
{
	return check_readfd(atoi(a[0]), a[1], n == 3 ? atol(a[2]) : 0);
}

static int run_exitread(int n, char **a) { (void)n; return check_exitread(atol(a[0])); }
static int run_pmorder(int n, char **a) { (void)n; return check_pmorder(atol(a[0]), atol(a[1])); }

static int run_query(int n, char **a)
{
	(void)n;
	return query("/sys/kernel/debug/vmainfo/query", a[0]);
}

static int run_sel(int n, char **a) { (void)n; return query(a[0], a[1]); }

/* maps, stat, status: a saved text of PID instead of /proc/vmainfo/PID as 2nd argument */
static int run_maps(int n, char **a) { text_file = n == 2 ? a[1] : NULL; return check_maps(atol(a[0])); }
static int run_stat(int n, char **a) { text_file = n == 2 ? a[1] : NULL; return check_stat(atol(a[0])); }

static int run_status(int n, char **a)
{
	text_file = n == 2 ? a[1] : NULL;
	return check_status(atol(a[0]));
}

static int run_flags(int n, char **a) { (void)n; return check_flags(atol(a[0])); }

static int run_kind(int n, char **a)
{
	(void)n;
	return check_kind(atol(a[0]), strtoul(a[1], NULL, 0), a[2]);
}

static int run_hdr(int n, char **a) { (void)n; return check_hdr(atol(a[0]), a[1], a[2]); }

static int run_count(int n, char **a)
{
	(void)n;
	return check_count(atol(a[0]), strtoul(a[1], NULL, 0), atol(a[2]));
}

static int run_reads(int n, char **a) { (void)n; return check_reads(a[0]); }
static int run_kaddr(int n, char **a) { return check_kaddr(n, a); }
static int run_order(int n, char **a)
{
	return check_order(a[0], atol(a[1]), n == 3 && !strcmp(a[2], "merges"));
}
static int run_parse(int n, char **a) { (void)n; return check_parse(a[0]); }

static int run_cov_pflags(int n, char **a)
{
	(void)n;
	return cov_pflags(atol(a[0]), strtoul(a[1], NULL, 0), atol(a[2]), a[3], a[4], a[5]);
}

static int run_cov_clip(int n, char **a) { (void)n; return cov_clip(atol(a[0])); }

static int run_cov_pmorder(int n, char **a)
{
	(void)n;
	return cov_pmorder(atol(a[0]), atol(a[1]), (size_t)atol(a[2]));
}

static int run_cov_hwm(int n, char **a) { (void)n; return cov_hwm(atol(a[0]), atol(a[1]), atol(a[2])); }

static int run_cov_hasflag(int n, char **a)
{
	(void)n;
	return cov_hasflag(atol(a[0]), strtoul(a[1], NULL, 0), a[2]);
}

static int run_cov_smaps(int n, char **a)
{
	(void)n;
	return cov_smaps(atol(a[0]), strtoul(a[1], NULL, 0), a[2]);
}

static int run_cov_hugetlb(int n, char **a)
{
	(void)n;
	return cov_hugetlb(atol(a[0]), strtoul(a[1], NULL, 0), atoll(a[2]));
}

static int run_share_json(int n, char **a) { (void)n; return check_share_json(atol(a[0]), a[1]); }
static int run_density(int n, char **a) { (void)n; return check_density(atol(a[0]), a[1]); }
static int run_cov_kinds(int n, char **a) { (void)n; return cov_kinds(atol(a[0])); }
static int run_cov_zombie(int n, char **a) { (void)n, (void)a; return cov_zombie(); }
static int run_cov_thread(int n, char **a) { (void)n, (void)a; return cov_thread(); }
static int run_cov_reuse(int n, char **a) { (void)n, (void)a; return cov_reuse(); }
static int run_cov_killread(int n, char **a) { return cov_killread(a[0], n == 2 ? a[1] : NULL); }
static int run_cov_layout(int n, char **a) { (void)n, (void)a; return cov_layout(); }

#define ANY	1000	/* no upper bound on the arguments */

static const struct cmd {
	const char *name;
	int min, max;		/* arguments after the name */
	const char *usage;	/* arguments, then what it checks */
	int (*run)(int n, char **args);
} cmds[] = {
	{ "maps", 1, 2, "PID [FILE]  VMA lines vs /proc/PID/maps: same lines, same order, the\n"
	  "first five columns byte for byte, the same names (FILE: a saved text of PID)", run_maps },
	{ "stat", 1, 2, "PID [FILE]  header vs /proc/PID/stat code/data/brk/stack/arg/env", run_stat },
	{ "status", 1, 2, "PID [FILE]  header vs /proc/PID/status Vm* and page tables", run_status },
	{ "flags", 1, ANY, "PID  flags column vs smaps VmFlags", run_flags },
	{ "kind", 3, 3, "PID ADDR K  the VMA holding ADDR has kind K", run_kind },
	{ "hdr", 3, 3, "PID KEY VAL  header KEY has value VAL (numbers compared as numbers)",
	  run_hdr },
	{ "count", 3, 3, "PID ADDR N  N VMAs overlap [ADDR, ADDR + N pages)", run_count },
	{ "reads", 1, ANY, "FILE  1-byte, 4 KiB and 1 MiB reads give the same text; lseek rereads",
	  run_reads },
	{ "kaddr", 1, ANY, "FILE...  no value at or above the user address limit of this guest\n"
	  "in the files (layout=FILE: root's layout, its documented kernel addresses allowed)",
	  run_kaddr },
	{ "order", 2, 3, "FILE N [merges]  N reads: VMA ends rise, starts never go back\n"
	  "  (with merges: only ends rise, for a target that merges VMAs)", run_order },
	{ "parse", 1, ANY, "FILE  the file parses (as the CLI would)", run_parse },
	{ "write", 3, 3, "FILE STR E  writing STR to FILE fails with errno E (name, or OK)",
	  run_write },
	{ "query", 1, 1, "PID  print the debugfs query text of PID", run_query },
	{ "writeb", 2, 2, "FILE E  one write() of stdin's bytes to FILE fails with errno E",
	  run_writeb },
	{ "readfd", 2, 3, "FD E [MAX]  reading the inherited FD (to its end, or MAX bytes) ends in E",
	  run_readfd },
	{ "exitread", 1, 1, "PID  read /proc/vmainfo/PID until it is gone: only ESRCH at open,\n"
	  "no read error, at least one text of PID", run_exitread },
	{ "pmorder", 2, 2, "PID N  N page-map reads of a changing PID: lines complete, well\n"
	  "formed, runs contiguous and never going back", run_pmorder },
	{ "sel", 2, 2, "FILE ARG  write ARG to FILE, print what it then reads", run_sel },
	{ "pagemap", 1, 1, "PID  every page of every VMA: debugfs page map vs /proc/PID/pagemap\n"
	  "bits 63 (present) and 62 (swap), and the per-VMA counts of /proc/vmainfo/PID",
	  run_pagemap },
	{ "thp", 2, 2, "PID ADDR  huge pages of the VMA at ADDR equal smaps AnonHugePages",
	  run_thp },
	{ "cnt", 4, 4, "PID ADDR COL N  the VMA at ADDR has N in column COL (present|swap|huge)",
	  run_cnt },
	{ "json", 2, 2, "PID FILE  FILE (vmainfo --json PID) is valid JSON and agrees with\n"
	  "/proc/PID/maps, /proc/PID/stat and /proc/PID/pagemap", run_json },
	{ "sharejson", 2, 2, "PID FILE  FILE (vmainfo --json share PID) agrees with smaps_rollup\n"
	  "  and maps", run_share_json },
	{ "density", 2, 2, "PID FILE  the DENSITY column of FILE (vmainfo --no-color PID, as root)\n"
	  "  equals the one drawn from /proc/PID/pagemap", run_density },
	{ "jsonok", 2, 2, "FILE KEY  FILE is valid JSON with a top-level KEY", run_jsonok },
	{ "deputy", 0, 0, "a query file opened by uid 65534 and handed to root (SCM_RIGHTS)\n"
	  "cannot select pid 1: EACCES", run_deputy },
	{ "trace", 2, 2, "JSON FACTS  'vmainfo watch --json -- workload trace FACTS' output shows\n"
	  "the workload's known sequence, in order, with its sizes", run_trace },
	{ "cov-pflags", 6, 6, "PID ADDR N STATE WANT NOT  the debugfs page map of\n"
	  "[ADDR, ADDR + N pages) with pfn covers exactly that range; every page agrees with\n"
	  "/proc/PID/pagemap (present, swap, frame number, soft-dirty where the VMA has no\n"
	  "VM_SOFTDIRTY) and the zero flag with /proc/kpageflags KPF_ZERO_PAGE; every page is\n"
	  "in STATE (or \"any\") and has the flags WANT and none of NOT (comma lists or -;\n"
	  "\"excl\" means pagemap bit 56, \"hzero\" the huge zero page per kpageflags)",
	  run_cov_pflags },
	{ "cov-clip", 1, 1, "PID  ranges with unaligned ends inside and across VMAs: runs cover\n"
	  "exactly the range within each maps VMA, never more", run_cov_clip },
	{ "cov-pmorder", 3, 3, "PID N BYTES  N page-map reads in reads of BYTES bytes of a\n"
	  "changing process: every run starts at or after the previous end", run_cov_pmorder },
	{ "cov-hwm", 3, 3, "PID MIN MAX  hiwater_rss equals status VmHWM, in [MIN, MAX]",
	  run_cov_hwm },
	{ "cov-hasflag", 3, 3, "PID ADDR FLAG  the VMA at ADDR has FLAG in our flags column\n"
	  "and in its smaps VmFlags", run_cov_hasflag },
	{ "cov-smaps", 3, 3, "PID ADDR KEY  print smaps KEY (kB) of the VMA at ADDR",
	  run_cov_smaps },
	{ "cov-hugetlb", 3, 3, "PID ADDR N  the hugetlb VMA at ADDR has N pages in our huge column\n"
	  "and N pages' worth in smaps Private_Hugetlb + Shared_Hugetlb", run_cov_hugetlb },
	{ "cov-kinds", 1, 1, "PID  [vdso], [vvar*], [stack] of maps are our kinds", run_cov_kinds },
	{ "cov-zombie", 0, ANY, "a zombie: open ENOENT/ESRCH, debugfs ESRCH", run_cov_zombie },
	{ "cov-thread", 0, ANY, "a non-leader tid, and a group whose leader exited",
	  run_cov_thread },
	{ "cov-reuse", 0, ANY, "a file open across pid reuse never shows the new process (EIO),\n"
	  "and a new open shows it", run_cov_reuse },
	{ "cov-killread", 1, 2, "FILE [SEL]  a reader SIGKILLed mid-read exits promptly",
	  run_cov_killread },
	{ "cov-layout", 0, ANY, "debugfs layout vs /proc/kallsyms, /proc/modules, /proc/kcore\n"
	  "program headers and /proc/cpuinfo", run_cov_layout },
};

static void usage(FILE *f)
{
	fputs("usage: vmicheck CHECK ARGS...; exit 0: agree, 1: differ\n", f);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const char *u = cmds[i].usage;

		fprintf(f, "  %s ", cmds[i].name);
		for (; *u; u++) {
			fputc(*u, f);
			if (*u == '\n')
				fputs("      ", f);
		}
		fputc('\n', f);
	}
}

int main(int argc, char **argv)
{
	int n = argc - 2;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(cmds[i].name, argv[1]))
			continue;
		if (n < cmds[i].min || n > cmds[i].max) {
			errno = 0;
			die("usage: vmicheck %s %s", cmds[i].name, cmds[i].usage);
		}
		return cmds[i].run(n, argv + 2);
	}
	usage(stderr);
	errno = 0;
	die("unknown check %s", argv[1]);
}
