// SPDX-License-Identifier: GPL-2.0
/*
 * pmq: vmainfo's PROCMAP_QUERY and batch ioctls (module/query.c, batch.c) against the
 * kernel's own PROCMAP_QUERY on /proc/PID/maps (6.11 and later), and, on any
 * kernel, against /proc/PID/smaps, the ELF files behind the mappings and the
 * /proc/vmainfo text.  Each check prints what differs as "# ..." lines and
 * exits 0 (agree) or 1 (differ); 2: it could not run.
 *
 *   pmq wl [many]          the workload: mappings of every kind (below), then
 *                          SIGSTOP; "many": 1500 one-page VMAs between files
 *   pmq cmp PID|self FILE  every address of interest x the 64 flag sets, and
 *                          some sizes: FILE's answers = /proc/PID/maps's
 *   pmq model PID|self FILE  the same addresses and flags: FILE's answers =
 *                          query_matching_vma() over /proc/PID/smaps, build
 *                          IDs read here from /proc/PID/map_files
 *   pmq err PID FILE       the error cases (and the kernel's, where it has it)
 *   pmq tail PID           the tail (kind, vm_flags, counts) = the text's line;
 *                          the size gates
 *   pmq batch PID FILE     the batch ioctl = single queries, both forms,
 *                          resumed across calls with small buffers
 *   pmq sorted PID FILE    the batch of addresses alone (a VMA found reused
 *                          for the next): arrays in order, descending, shuffled,
 *                          with duplicates, gaps, past the last VMA, filters,
 *                          record sizes = the kernel's single queries
 *   pmq index SELF QUERY   the VMA index (VMAINFO_BATCH_INDEX) of this process
 *                          as it changes, of a query file's processes, and
 *                          against a thread that changes a VMA
 *
 * FILE is /proc/vmainfo/PID, /proc/vmainfo/self or a query file (the pid is
 * written to it first).  Everything a check uses is static: a check of its
 * own process (self) must not change its address space while it runs.
 */
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/fs.h>
#include "vmainfo_abi.h"
#include "wl.h"

#define PMQ_SZ		VMAINFO_QUERY_SIZE_VER0
#define FULL_SZ		VMAINFO_QUERY_SIZE_VER1
#define MAXV		4096
#define BIDMAX		32
#define GATE_MIN	0x8000000000000000UL	/* x86's vsyscall page: not a VMA */

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#define PR_SET_VMA_ANON_NAME	0
#endif

static int failures;
#define FAIL(...) do { if (failures++ < 40) { printf("# " __VA_ARGS__); putchar('\n'); } } while (0)

static const char *const kind_names[] = {
#define KN(e, s) s,
	VMAINFO_KINDS(KN)
#undef KN
};

/* ---- the answers ---- */

struct ans {
	int rc, err;
	struct vmainfo_query q;
	char name[PATH_MAX];
	unsigned char bid[BIDMAX];
};

/* One buffer each for every query, so that two answers' structs compare equal. */
static char g_name[PATH_MAX];
static unsigned char g_bid[BIDMAX];

static void ask_sz(int fd, unsigned long addr, unsigned long flags, size_t size,
		   unsigned int name_sz, unsigned int bid_sz, struct ans *a)
{
	memset(&a->q, 0, sizeof(a->q));
	a->q.pmq.size = size;
	a->q.pmq.query_flags = flags;
	a->q.pmq.query_addr = addr;
	if (name_sz) {
		a->q.pmq.vma_name_size = name_sz;
		a->q.pmq.vma_name_addr = (uintptr_t)g_name;
	}
	if (bid_sz) {
		a->q.pmq.build_id_size = bid_sz;
		a->q.pmq.build_id_addr = (uintptr_t)g_bid;
	}
	a->rc = ioctl(fd, VMAINFO_PROCMAP_QUERY, &a->q);
	a->err = a->rc ? errno : 0;
	if (!a->rc) {
		memcpy(a->name, g_name, a->q.pmq.vma_name_size);
		memcpy(a->bid, g_bid, a->q.pmq.build_id_size);
	}
}

static void ask(int fd, unsigned long addr, unsigned long flags, size_t size, struct ans *a)
{
	ask_sz(fd, addr, flags, size, sizeof(g_name), sizeof(g_bid), a);
}

static void show(const char *who, const struct ans *a)
{
	const struct vmainfo_procmap_query *p = &a->q.pmq;
	char id[2 * BIDMAX + 1] = "";

	for (unsigned int i = 0; i < p->build_id_size && i < BIDMAX; i++)
		sprintf(id + 2 * i, "%02x", a->bid[i]);
	printf("#   %s: rc %d errno %d: %llx-%llx flags %llx psz %llx off %llx dev %x:%x ino %llu "
	       "name %u '%.*s' bid %u %s\n", who, a->rc, a->err,
	       (unsigned long long)p->vma_start, (unsigned long long)p->vma_end,
	       (unsigned long long)p->vma_flags, (unsigned long long)p->vma_page_size,
	       (unsigned long long)p->vma_offset, p->dev_major, p->dev_minor,
	       (unsigned long long)p->inode, p->vma_name_size,
	       (int)(p->vma_name_size ? p->vma_name_size - 1 : 0), a->name,
	       p->build_id_size, id);
}

/* Do two answers agree: result, the first @n bytes of the struct, name, build ID? */
static int same(const struct ans *k, const struct ans *o, size_t n)
{
	if (k->rc != o->rc || k->err != o->err)
		return 0;
	if (k->rc)
		return 1;
	return !memcmp(&k->q, &o->q, n) &&
	       !memcmp(k->name, o->name, k->q.pmq.vma_name_size) &&
	       !memcmp(k->bid, o->bid, k->q.pmq.build_id_size);
}

/* ---- the files ---- */

static pid_t target;		/* the process looked at */
static char pidstr[32];

static void set_target(const char *arg)
{
	target = strcmp(arg, "self") ? atoi(arg) : getpid();
	snprintf(pidstr, sizeof(pidstr), "%s", arg);
}

static int open_maps(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/maps", pidstr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	return fd;
}

/* vmainfo's FILE; a query file gets the pid written to it. */
static int open_ours(const char *file)
{
	int q = !!strstr(file, "query"), fd = open(file, q ? O_RDWR : O_RDONLY);
	char b[32];
	int n;

	if (fd < 0)
		die("open %s", file);
	if (q) {
		n = snprintf(b, sizeof(b), "%d\n", target);
		if (write(fd, b, n) != n)
			die("select %d in %s", target, file);
	}
	return fd;
}

/* ---- /proc/PID/smaps: the model's oracle ---- */

struct vma {
	unsigned long start, end, off, ino, psz;
	unsigned int maj, min, flags;
	char name[PATH_MAX];
	int bid_sz;			/* -1: not read yet */
	unsigned char bid[BIDMAX];
};

static struct vma vmas[MAXV];
static int nvmas;
static char text[8 << 20];

static size_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		die("open %s", path);
	while ((n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += n;
	if (n < 0 || len == cap - 1)
		die("read %s", path);
	close(fd);
	buf[len] = '\0';
	return len;
}

/* maps's name column as the kernel gave it: seq_path() escaped '\n' as \012. */
static void unescape(char *d, const char *s, size_t cap)
{
	size_t i = 0;

	while (*s && i + 1 < cap) {
		if (!strncmp(s, "\\012", 4)) {
			d[i++] = '\n';
			s += 4;
		} else {
			d[i++] = *s++;
		}
	}
	d[i] = '\0';
}

static void smaps_read(void)
{
	char path[64], *line, *save = NULL, perms[8];
	struct vma *v = NULL;
	int n;

	snprintf(path, sizeof(path), "/proc/%s/smaps", pidstr);
	slurp(path, text, sizeof(text));
	nvmas = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long s, e, kb;

		if (sscanf(line, "KernelPageSize: %lu kB", &kb) == 1 && v) {
			v->psz = kb * 1024;
			continue;
		}
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perms) != 3 || strchr(line, ':') < strchr(line, ' '))
			continue;
		if (s >= GATE_MIN || nvmas == MAXV) {
			v = NULL;
			continue;
		}
		v = &vmas[nvmas++];
		memset(v, 0, sizeof(*v));
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &v->start, &v->end, perms,
			   &v->off, &v->maj, &v->min, &v->ino, &n) < 7)
			die("smaps line %s", line);
		v->flags = (perms[0] == 'r' ? 1 : 0) | (perms[1] == 'w' ? 2 : 0) |
			   (perms[2] == 'x' ? 4 : 0) | (perms[3] == 's' ? 8 : 0);
		unescape(v->name, line + n, sizeof(v->name));
		v->bid_sz = -1;
	}
}

/*
 * lib/buildid.c's rules, read here from the ELF file: ET_EXEC or ET_DYN,
 * 32- or 64-bit, the first 256 program headers, the first PT_NOTE with a
 * "GNU" note of type 3 and 1 to 20 bytes; the same overflow checks.
 */
static int rd(int fd, void *b, size_t n, uint64_t off)
{
	return off + n < off || off > INT64_MAX || pread(fd, b, n, off) != (ssize_t)n ? -1 : 0;
}

static int note_bid(int fd, unsigned char *id, uint64_t off, uint32_t size)
{
	struct { Elf32_Nhdr h; char name[4]; } nh;
	uint32_t end, noff, ns, ds;
	int64_t o = off;

	if (o < 0 || (uint64_t)o + size > UINT32_MAX)
		return -1;
	end = o + size;
	while ((int64_t)end - o > (int64_t)sizeof(nh)) {
		if (rd(fd, &nh, sizeof(nh), o))
			return -1;
		ns = nh.h.n_namesz;
		ds = nh.h.n_descsz;
		noff = o + sizeof(Elf32_Nhdr);
		if ((uint64_t)noff + ((ns + 3) & ~3U) > UINT32_MAX)
			break;
		noff += (ns + 3) & ~3U;
		if ((uint64_t)noff + ((ds + 3) & ~3U) > UINT32_MAX)
			break;
		noff += (ds + 3) & ~3U;
		if (noff > end)
			break;
		if (nh.h.n_type == 3 && ns == 4 && !memcmp(nh.name, "GNU", 4) && ds > 0 && ds <= 20)
			return rd(fd, id, ds, (uint32_t)(o + sizeof(nh))) ? -1 : (int)ds;
		o = noff;
	}
	return -1;
}

static int elf_bid(int fd, unsigned char *id)
{
	union { Elf32_Ehdr e32; Elf64_Ehdr e64; Elf32_Phdr p32; Elf64_Phdr p64; } u;
	uint64_t phoff, phsz;
	uint32_t phnum, i;
	int is64, r;

	if (rd(fd, &u, 18, 0) || memcmp(u.e32.e_ident, ELFMAG, SELFMAG) ||
	    (u.e32.e_type != ET_EXEC && u.e32.e_type != ET_DYN) ||
	    (u.e32.e_ident[EI_CLASS] != ELFCLASS32 && u.e32.e_ident[EI_CLASS] != ELFCLASS64))
		return 0;
	is64 = u.e32.e_ident[EI_CLASS] == ELFCLASS64;
	if (rd(fd, &u, is64 ? sizeof(u.e64) : sizeof(u.e32), 0))
		return 0;
	phnum = is64 ? u.e64.e_phnum : u.e32.e_phnum;
	phnum = phnum > 256 ? 256 : phnum;
	phoff = is64 ? u.e64.e_phoff : u.e32.e_phoff;
	phsz = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (phoff + phnum * phsz < phoff)
		return 0;
	for (i = 0; i < phnum; i++) {
		if (rd(fd, &u, phsz, phoff + i * phsz))
			return 0;
		if ((is64 ? u.p64.p_type : u.p32.p_type) != PT_NOTE)
			continue;
		r = note_bid(fd, id, is64 ? u.p64.p_offset : u.p32.p_offset,
			     (uint32_t)(is64 ? u.p64.p_filesz : u.p32.p_filesz));
		if (r > 0)
			return r;
	}
	return 0;
}

static void vma_bid(struct vma *v)
{
	char path[96];
	int fd;

	if (v->bid_sz >= 0)
		return;
	v->bid_sz = 0;
	if (!v->ino)
		return;
	snprintf(path, sizeof(path), "/proc/%d/map_files/%lx-%lx", target, v->start, v->end);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;		/* memfd_secret(): no read() either */
	v->bid_sz = elf_bid(fd, v->bid);
	close(fd);
}

/* query_matching_vma() over the smaps list: the index, or -1 (ENOENT). */
static int model_find(unsigned long addr, unsigned long flags)
{
	for (int i = 0; i < nvmas; i++) {
		struct vma *v = &vmas[i];

		if (v->end <= addr)
			continue;
		if ((!(flags & 0x20) || v->ino) && (v->flags & flags & 0xf) == (flags & 0xf) &&
		    ((flags & 0x10) || v->start <= addr))
			return i;
		if (!(flags & 0x10))
			return -1;
	}
	return -1;
}

/* ---- the addresses looked at ---- */

static unsigned long addrs[4 * MAXV + 16];
static int naddrs;

/* 0, each VMA's first, middle and last byte, each gap's first and middle, past the end. */
static void make_addrs(void)
{
	unsigned long prev = 0;

	naddrs = 0;
	addrs[naddrs++] = 0;
	for (int i = 0; i < nvmas; i++) {
		struct vma *v = &vmas[i];

		if (v->start > prev) {
			addrs[naddrs++] = prev;
			addrs[naddrs++] = prev + (v->start - prev) / 2;
		}
		addrs[naddrs++] = v->start;
		addrs[naddrs++] = v->start + (v->end - v->start) / 2 + 1;
		addrs[naddrs++] = v->end - 1;
		prev = v->end;
	}
	addrs[naddrs++] = prev;
	addrs[naddrs++] = prev + PAGE;
	addrs[naddrs++] = 0xffffffffff600000UL;	/* the gate: no VMA */
	addrs[naddrs++] = ~0UL;
}

/* The VMA list from the kernel's PROCMAP_QUERY (the address space as it is now). */
static void vmas_from_ioctl(int fd)
{
	static struct ans a;
	unsigned long addr = 0;

	nvmas = 0;
	for (;;) {
		ask_sz(fd, addr, VMAINFO_PMQ_COVERING_OR_NEXT_VMA, PMQ_SZ, 0, 0, &a);
		if (a.rc)
			break;
		if (nvmas == MAXV)
			die("too many VMAs");
		vmas[nvmas].start = a.q.pmq.vma_start;
		vmas[nvmas].end = a.q.pmq.vma_end;
		nvmas++;
		addr = a.q.pmq.vma_end;
	}
	if (a.err != ENOENT)
		die("PROCMAP_QUERY iteration");
}

/* ---- pmq cmp: ours = the kernel's ---- */

static struct ans ka, oa;

static int cmd_cmp(int argc __attribute__((unused)), char **argv)
{
	static const size_t sizes[] = { 24, 32, 72, 100, PMQ_SZ };
	int kfd, ofd, pass, n = 0;

	set_target(argv[0]);
	kfd = open_maps();
	ofd = open_ours(argv[1]);
	/* a first pass settles what the check itself allocates (stdio) */
	for (pass = 0; pass < (target == getpid() ? 2 : 1); pass++) {
		failures = 0;
		n = 0;
		vmas_from_ioctl(kfd);
		make_addrs();
		for (int i = 0; i < naddrs; i++) {
			for (unsigned long f = 0; f < 64; f++, n++) {
				ask(kfd, addrs[i], f, PMQ_SZ, &ka);
				ask(ofd, addrs[i], f, PMQ_SZ, &oa);
				if (!same(&ka, &oa, PMQ_SZ)) {
					FAIL("addr %lx flags %lx: the kernel's and ours differ", addrs[i], f);
					show("kernel", &ka);
					show("ours", &oa);
				}
			}
			/* smaller sizes: what is copied back; the full size: the same fields */
			for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				ask_sz(kfd, addrs[i], 0x10, sizes[s], 0, 0, &ka);
				ask_sz(ofd, addrs[i], 0x10, sizes[s], 0, 0, &oa);
				if (!same(&ka, &oa, sizeof(ka.q)))
					FAIL("addr %lx size %zu: differ", addrs[i], sizes[s]);
			}
			ask(ofd, addrs[i], 0x10, FULL_SZ, &oa);
			ask(kfd, addrs[i], 0x10, PMQ_SZ, &ka);
			oa.q.pmq.size = PMQ_SZ;
			if (!same(&ka, &oa, PMQ_SZ))
				FAIL("addr %lx: our full-size answer differs in procmap_query's fields",
				     addrs[i]);
		}
	}
	printf("# %s: %d VMAs, %d addresses, %d queries to both\n", pidstr, nvmas, naddrs, n);
	return failures ? 1 : 0;
}

/* ---- pmq model: ours = query_matching_vma() over smaps, build IDs from the files ---- */

static int check_model(int ofd, unsigned long addr, unsigned long f)
{
	int i = model_find(addr, f);
	struct vma *v = i < 0 ? NULL : &vmas[i];
	const struct vmainfo_procmap_query *p = &oa.q.pmq;

	ask(ofd, addr, f, PMQ_SZ, &oa);
	if (!v)
		return oa.rc && oa.err == ENOENT;
	vma_bid(v);
	return !oa.rc && p->vma_start == v->start && p->vma_end == v->end &&
	       p->vma_flags == v->flags && p->vma_page_size == v->psz &&
	       p->vma_offset == (v->ino ? v->off : 0) && p->dev_major == v->maj &&
	       p->dev_minor == v->min && p->inode == v->ino &&
	       p->vma_name_size == (v->name[0] ? strlen(v->name) + 1 : 0) &&
	       !memcmp(oa.name, v->name, p->vma_name_size) &&
	       (int)p->build_id_size == v->bid_sz && !memcmp(oa.bid, v->bid, v->bid_sz);
}

static int cmd_model(int argc __attribute__((unused)), char **argv)
{
	int ofd, n = 0, nbid = 0;

	set_target(argv[0]);
	ofd = open_ours(argv[1]);
	smaps_read();
	make_addrs();
	/* with many VMAs, 8 of the 64 flag sets (each bit on and off in some) */
	for (int i = 0; i < naddrs; i++)
		for (unsigned long f = 0; f < 64; f += nvmas > 300 ? 9 : 1, n++)
			if (!check_model(ofd, addrs[i], f)) {
				int k = model_find(addrs[i], f);

				FAIL("addr %lx flags %lx: ours differs from smaps%s%s", addrs[i], f,
				     k < 0 ? " (ENOENT)" : ": ", k < 0 ? "" : vmas[k].name);
				show("ours", &oa);
			}
	for (int i = 0; i < nvmas; i++)
		nbid += vmas[i].bid_sz > 0;
	printf("# %s: %d VMAs (%d with a build ID), %d queries\n", pidstr, nvmas, nbid, n);
	return failures ? 1 : 0;
}

/* ---- pmq err: the errors, as the kernel's ---- */

static int kfd_err = -1;	/* the kernel's /proc/PID/maps where it has the ioctl */
static int ncases;

/* Run @q on ours (and the kernel's): its errno (0: success) must be @want. */
static unsigned char qbuf[2 * 4096] __attribute__((aligned(4096))), kbuf[sizeof(qbuf)]
	__attribute__((aligned(4096)));

static void expect(int ofd, const char *what, struct vmainfo_query *q, void *arg, int want)
{
	struct vmainfo_query *k = (void *)kbuf;
	int r, e;

	memcpy(kbuf, qbuf, sizeof(kbuf));	/* q is in qbuf: the kernel's gets it as it was */
	ncases++;

	r = ioctl(ofd, VMAINFO_PROCMAP_QUERY, arg ? arg : q);
	e = r ? errno : 0;
	if (e != want)
		FAIL("%s: ours gave errno %d, not %d", what, e, want);
	if (kfd_err < 0)
		return;
	r = ioctl(kfd_err, VMAINFO_PROCMAP_QUERY, arg ? arg : k);
	if ((r ? errno : 0) != e)
		FAIL("%s: the kernel's gave errno %d, ours %d", what, r ? errno : 0, e);
}

static struct vmainfo_query *mkq(unsigned long addr, unsigned long flags, size_t size)
{
	struct vmainfo_query *q = (void *)qbuf;

	memset(qbuf, 0, sizeof(qbuf));
	q->pmq.size = size;
	q->pmq.query_flags = flags;
	q->pmq.query_addr = addr;
	return q;
}

static int cmd_err(int argc, char **argv)
{
	static unsigned char rdonly[4096] __attribute__((aligned(4096)));
	unsigned long gap = 0, last = 0, elf = 0, named = 0, anon = 0, nonelf = 0;
	unsigned int plen = 0;
	struct vmainfo_query *q;
	int ofd, fd, nofd;
	pid_t child;

	set_target(argv[0]);
	ofd = open_ours(argv[1]);
	if (argc > 2 && !strcmp(argv[2], "kernel"))
		kfd_err = open_maps();
	smaps_read();
	for (int i = 0; i < nvmas; i++) {
		struct vma *v = &vmas[i];

		vma_bid(v);
		if (i && vmas[i - 1].end < v->start && !gap)
			gap = vmas[i - 1].end;
		if (v->bid_sz == 20 && !elf)
			elf = v->start;
		if (v->ino && !v->bid_sz && !nonelf)
			nonelf = v->start;
		if (v->name[0] == '/' && !named) {
			named = v->start;
			plen = strlen(v->name);
		}
		if (!v->ino && !v->name[0] && !anon)
			anon = v->start;
		last = v->end;
	}
	if (!gap || !elf || !named || !anon || !nonelf)
		die("the workload lacks a gap, ELF, path, anonymous or non-ELF file VMA");

	expect(ofd, "past the last VMA", mkq(last, 0, PMQ_SZ), NULL, ENOENT);
	expect(ofd, "~0 with COVERING_OR_NEXT", mkq(~0UL, 0x10, PMQ_SZ), NULL, ENOENT);
	expect(ofd, "in a gap", mkq(gap, 0, PMQ_SZ), NULL, ENOENT);
	expect(ofd, "in a gap, writable+executable+shared", mkq(gap, 0xe, PMQ_SZ), NULL, ENOENT);
	expect(ofd, "the gate area", mkq(0xffffffffff600000UL, 0, PMQ_SZ), NULL, ENOENT);
	expect(ofd, "flag 0x40", mkq(named, 0x40, PMQ_SZ), NULL, EINVAL);
	expect(ofd, "flag 1<<63", mkq(named, 1UL << 63, PMQ_SZ), NULL, EINVAL);
	for (size_t s = 0; s < 24; s += 8)
		expect(ofd, "size below query_addr's end", mkq(named, 0, s), NULL, EINVAL);
	expect(ofd, "size 23", mkq(named, 0, 23), NULL, EINVAL);
	expect(ofd, "size 24", mkq(named, 0, 24), NULL, 0);
	expect(ofd, "size 4096, zeros", mkq(named, 0, 4096), NULL, 0);
	expect(ofd, "size 4097", mkq(named, 0, 4097), NULL, E2BIG);
	expect(ofd, "size 1<<40", mkq(named, 0, 1UL << 40), NULL, E2BIG);
	q = mkq(named, 0, 200);
	((unsigned char *)q)[160] = 1;
	expect(ofd, "a byte beyond both structs", q, NULL, E2BIG);
	q = mkq(named, 0, FULL_SZ);
	((unsigned char *)q)[PMQ_SZ + 4] = 1;	/* reserved, out: ours knows it */
	if (ioctl(ofd, VMAINFO_PROCMAP_QUERY, q))
		FAIL("a byte in our tail: ours gave errno %d", errno);
	if (kfd_err >= 0) {
		q = mkq(named, 0, FULL_SZ);
		((unsigned char *)q)[PMQ_SZ + 4] = 1;
		if (ioctl(kfd_err, VMAINFO_PROCMAP_QUERY, q) != -1 || errno != E2BIG)
			FAIL("the kernel's took a non-zero byte after its struct");
	}
	/* name and build-ID buffers */
	q = mkq(named, 0, PMQ_SZ);
	q->pmq.vma_name_size = plen;
	q->pmq.vma_name_addr = (uintptr_t)g_name;
	expect(ofd, "name buffer one byte short", q, NULL, ENAMETOOLONG);
	q = mkq(named, 0, PMQ_SZ);
	q->pmq.vma_name_size = plen + 1;
	q->pmq.vma_name_addr = (uintptr_t)g_name;
	expect(ofd, "name buffer just long enough", q, NULL, 0);
	q = mkq(anon, 0, PMQ_SZ);
	q->pmq.vma_name_size = 1;
	q->pmq.vma_name_addr = 8;
	expect(ofd, "unnamed VMA, bad name pointer (not used)", q, NULL, 0);
	q = mkq(named, 0, PMQ_SZ);
	q->pmq.vma_name_size = sizeof(g_name);
	q->pmq.vma_name_addr = 8;
	expect(ofd, "bad name pointer", q, NULL, EFAULT);
	q = mkq(named, 0, PMQ_SZ);
	q->pmq.vma_name_size = 16;
	expect(ofd, "name size without address", q, NULL, EINVAL);
	q = mkq(named, 0, PMQ_SZ);
	q->pmq.vma_name_addr = (uintptr_t)g_name;
	expect(ofd, "name address without size", q, NULL, EINVAL);
	q = mkq(elf, 0, PMQ_SZ);
	q->pmq.build_id_size = 19;
	q->pmq.build_id_addr = (uintptr_t)g_bid;
	expect(ofd, "build-ID buffer one byte short", q, NULL, ENAMETOOLONG);
	q = mkq(elf, 0, PMQ_SZ);
	q->pmq.build_id_size = 20;
	q->pmq.build_id_addr = (uintptr_t)g_bid;
	expect(ofd, "build-ID buffer of 20", q, NULL, 0);
	q = mkq(nonelf, 0, PMQ_SZ);
	q->pmq.build_id_size = 1;
	q->pmq.build_id_addr = (uintptr_t)g_bid;
	expect(ofd, "no build ID, 1-byte buffer", q, NULL, 0);
	q = mkq(elf, 0, PMQ_SZ);
	q->pmq.build_id_size = 20;
	q->pmq.build_id_addr = 8;
	expect(ofd, "bad build-ID pointer", q, NULL, EFAULT);
	q = mkq(elf, 0, PMQ_SZ);
	q->pmq.build_id_size = 20;
	expect(ofd, "build-ID size without address", q, NULL, EINVAL);
	q = mkq(elf, 0, PMQ_SZ);
	q->pmq.build_id_addr = (uintptr_t)g_bid;
	expect(ofd, "build-ID address without size", q, NULL, EINVAL);
	/* the argument itself */
	expect(ofd, "NULL argument", mkq(0, 0, PMQ_SZ), (void *)0x8, EFAULT);
	memset(rdonly, 0, sizeof(rdonly));
	((struct vmainfo_query *)rdonly)->pmq.size = PMQ_SZ;
	((struct vmainfo_query *)rdonly)->pmq.query_addr = named;
	if (mprotect(rdonly, sizeof(rdonly), PROT_READ))
		die("mprotect");
	expect(ofd, "read-only argument (the answer cannot be written)", mkq(0, 0, PMQ_SZ),
	       rdonly, EFAULT);
	if (ioctl(ofd, _IOWR('f', 18, struct vmainfo_procmap_query), mkq(named, 0, PMQ_SZ)) != -1 ||
	    errno != ENOTTY)
		FAIL("an unknown ioctl: not ENOTTY");
	if (kfd_err >= 0) {
		struct vmainfo_query_batch b = { .size = sizeof(b) };

		if (ioctl(kfd_err, VMAINFO_QUERY_BATCH, &b) != -1 || errno != ENOTTY)
			FAIL("the kernel's maps took our batch ioctl");
	}

	/* no process selected in a query file */
	fd = open("/proc/vmainfo/query", O_RDWR);
	if (fd < 0 || ioctl(fd, VMAINFO_PROCMAP_QUERY, mkq(0, 0x10, PMQ_SZ)) != -1 ||
	    errno != EBADFD)
		FAIL("/proc/vmainfo/query before a selection: not EBADFD");
	if (fd >= 0)
		close(fd);
	/* a kernel thread (pid 2): no mm, ESRCH as the kernel's */
	fd = open("/proc/vmainfo/2", O_RDONLY);
	if (fd < 0 || ioctl(fd, VMAINFO_PROCMAP_QUERY, mkq(0, 0x10, PMQ_SZ)) != -1 || errno != ESRCH)
		FAIL("kernel thread: not ESRCH");
	if (fd >= 0)
		close(fd);
	if (kfd_err >= 0) {
		fd = open("/proc/2/maps", O_RDONLY);
		if (fd < 0 || ioctl(fd, VMAINFO_PROCMAP_QUERY, mkq(0, 0x10, PMQ_SZ)) != -1 ||
		    errno != ESRCH)
			FAIL("kernel thread: the kernel's is not ESRCH");
		if (fd >= 0)
			close(fd);
	}
	/* a process that exited while the files were open: ESRCH */
	child = fork();
	if (!child) {
		pause();
		_exit(0);
	}
	{
		char path[64], sel[32];
		int n;

		usleep(200000);
		snprintf(path, sizeof(path), "/proc/%d/maps", child);
		fd = open(path, O_RDONLY);
		nofd = open("/proc/vmainfo/query", O_RDWR);
		n = snprintf(sel, sizeof(sel), "%d", child);
		if (fd < 0 || nofd < 0 || write(nofd, sel, n) != n)
			die("open the child's files");
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		if (ioctl(nofd, VMAINFO_PROCMAP_QUERY, mkq(0, 0x10, PMQ_SZ)) != -1 || errno != ESRCH)
			FAIL("exited process: ours not ESRCH");
		if (kfd_err >= 0 &&
		    (ioctl(fd, VMAINFO_PROCMAP_QUERY, mkq(0, 0x10, PMQ_SZ)) != -1 || errno != ESRCH))
			FAIL("exited process: the kernel's not ESRCH");
		close(fd);
		close(nofd);
	}
	printf("# %d cases%s, and 5 more\n", ncases, kfd_err >= 0 ? " on both" : "");
	return failures ? 1 : 0;
}

/* ---- pmq tail: kind, vm_flags and counts = /proc/vmainfo/PID's line ---- */

static int cmd_tail(int argc __attribute__((unused)), char **argv)
{
	static const char *const fl[] = { "rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd" };
	char path[64], *line, *save = NULL, *p;
	int ofd, n = 0, body = 0;
	unsigned long first = 0;

	set_target(argv[0]);
	snprintf(path, sizeof(path), "/proc/vmainfo/%d", target);
	ofd = open_ours(path);
	slurp(path, text, sizeof(text));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long s, e, pres, swp, huge, off, ino;
		char perms[8], dev[16], flags[256], kind[32], *nm;
		int k, len;

		if (!body) {
			body = !strncmp(line, "paging_levels:", 14);
			continue;
		}
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %255s %31s %lu %lu %lu%n", &s, &e, perms,
			   &off, dev, &ino, flags, kind, &pres, &swp, &huge, &len) != 11) {
			FAIL("text line: %s", line);
			continue;
		}
		if (!strcmp(kind, "vsyscall"))
			continue;	/* the gate area: no VMA, no answer */
		nm = line + len + (line[len] == ' ');
		ask(ofd, s, 0, FULL_SZ, &oa);
		n++;
		if (oa.rc || oa.q.pmq.vma_start != s || oa.q.pmq.vma_end != e) {
			FAIL("%lx: no answer, or another VMA", s);
			continue;
		}
		if (oa.q.kind >= VMAINFO_KIND_NR || strcmp(kind_names[oa.q.kind], kind))
			FAIL("%lx: kind %u, the text says %s", s, oa.q.kind, kind);
		if (oa.q.present != pres || oa.q.swap != swp || oa.q.huge != huge)
			FAIL("%lx: counts %llu %llu %llu, the text says %lu %lu %lu", s,
			     (unsigned long long)oa.q.present, (unsigned long long)oa.q.swap,
			     (unsigned long long)oa.q.huge, pres, swp, huge);
		if (oa.q.reserved)
			FAIL("%lx: reserved is not 0", s);
		for (k = 0; k < 9; k++) {
			int has = 0;

			for (p = flags; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
				has |= !strncmp(p, fl[k], 2);
			if (has != !!(oa.q.vm_flags & (1UL << k)))
				FAIL("%lx: vm_flags %llx, bit %d, the text's flags %s", s,
				     (unsigned long long)oa.q.vm_flags, k, flags);
		}
		/* names: the text's (seq_path()-escaped) unless an anon name (format 1 has none) */
		unescape(g_name + 1, nm, sizeof(g_name) - 1);
		if (strncmp(oa.name, "[anon", 5) &&
		    strcmp(oa.q.pmq.vma_name_size ? oa.name : "", g_name + 1))
			FAIL("%lx: name '%s', the text's '%s'", s, oa.name, g_name + 1);
		if (!first && pres)
			first = s;
	}
	/* the size gates: nothing past the caller's size is read or written */
	static const size_t gates[] = { PMQ_SZ, 108, 112, 120, 128, 136, FULL_SZ, FULL_SZ + 8 };

	for (unsigned int g = 0; g < sizeof(gates) / sizeof(gates[0]) && first; g++) {
		size_t sz = gates[g];
		static unsigned char buf[FULL_SZ + 16];
		struct vmainfo_query *q = (void *)buf, full;

		if (sz > sizeof(buf))
			die("gate size");
		memset(buf, 0xa5, sizeof(buf));
		memset(buf, 0, sz < FULL_SZ ? sz : FULL_SZ);
		if (sz > FULL_SZ)
			memset(buf, 0, sz);	/* beyond ours: zeros, as the kernel's rule */
		q->pmq.size = sz;
		q->pmq.query_addr = first;
		ask(ofd, first, 0, FULL_SZ, &oa);
		full = oa.q;
		if (ioctl(ofd, VMAINFO_PROCMAP_QUERY, q)) {
			FAIL("size %zu: errno %d", sz, errno);
			continue;
		}
		full.pmq.vma_name_size = full.pmq.build_id_size = 0;
		full.pmq.vma_name_addr = full.pmq.build_id_addr = 0;
		full.pmq.size = sz;
		if (memcmp(buf, &full, sz < FULL_SZ ? sz : FULL_SZ))
			FAIL("size %zu: the covered bytes differ from the full answer", sz);
		for (size_t i = sz < FULL_SZ ? sz : FULL_SZ; i < sizeof(buf); i++)
			if (buf[i] != (i < sz ? 0 : 0xa5)) {
				FAIL("size %zu: byte %zu written", sz, i);
				break;
			}
	}
	printf("# %d VMA lines\n", n);
	return failures || !n || !first ? 1 : 0;
}

/* ---- pmq batch: = single queries ---- */

static struct vmainfo_query recs[MAXV + 64];
static unsigned char recbuf[(MAXV + 64) * 160];
static char data[1 << 22];
static unsigned long baddrs[20000];

static int bcall(int fd, struct vmainfo_query_batch *b)
{
	int r = ioctl(fd, VMAINFO_QUERY_BATCH, b);

	return r < 0 ? -errno : r;
}

/* Record @r (of a batch asked for names/build IDs per @bf) = the single query it names. */
static void check_rec(int fd, const struct vmainfo_query *r, unsigned long bf, size_t rsz,
		      const char *what)
{
	struct vmainfo_query x = *r;

	ask_sz(fd, r->pmq.query_addr, r->pmq.query_flags, rsz < FULL_SZ ? rsz : FULL_SZ,
	       bf & VMAINFO_BATCH_NAMES ? sizeof(g_name) : 0,
	       bf & VMAINFO_BATCH_BUILD_IDS ? sizeof(g_bid) : 0, &oa);
	if (oa.rc) {
		if (oa.err != ENOENT || r->pmq.vma_end || r->pmq.vma_start || r->pmq.vma_name_size)
			FAIL("%s: %llx: the single query says errno %d, the record %llx-%llx", what,
			     (unsigned long long)r->pmq.query_addr, oa.err,
			     (unsigned long long)r->pmq.vma_start, (unsigned long long)r->pmq.vma_end);
		return;
	}
	if (x.pmq.vma_name_size && memcmp((void *)(uintptr_t)x.pmq.vma_name_addr, oa.name,
					   x.pmq.vma_name_size))
		FAIL("%s: %llx: the name differs", what, (unsigned long long)x.pmq.vma_start);
	if (x.pmq.build_id_size && memcmp((void *)(uintptr_t)x.pmq.build_id_addr, oa.bid,
					   x.pmq.build_id_size))
		FAIL("%s: %llx: the build ID differs", what, (unsigned long long)x.pmq.vma_start);
	x.pmq.size = oa.q.pmq.size;
	x.pmq.vma_name_addr = oa.q.pmq.vma_name_addr;
	x.pmq.build_id_addr = oa.q.pmq.build_id_addr;
	if (memcmp(&x, &oa.q, rsz < FULL_SZ ? rsz : FULL_SZ)) {
		FAIL("%s: %llx: the record differs from the single query", what,
		     (unsigned long long)r->pmq.query_addr);
		oa.rc = 0;
		show("single", &oa);
	}
}

/* Every record of an iteration from 0 with @flags, in calls of @count records. */
static int data_full;	/* calls that ended with VMAINFO_BATCH_DATA_FULL */

static int iterate(int fd, unsigned long flags, unsigned long bf, size_t rsz, unsigned int count,
		   unsigned int dsz, int *calls)
{
	struct vmainfo_query_batch b;
	unsigned int room = dsz;
	size_t doff = 0;
	unsigned long at = 0;
	int n = 0, r;

	*calls = 0;
	for (;;) {
		memset(&b, 0, sizeof(b));
		b.size = sizeof(b);
		b.query_flags = flags;
		b.batch_flags = bf;
		b.addr = at;
		b.recs_addr = (uintptr_t)(recbuf + n * rsz);
		b.rec_size = rsz;
		b.rec_count = count;
		b.data_addr = room ? (uintptr_t)data + doff : 0;
		b.data_size = doff + room <= sizeof(data) ? room : 0;
		if (room && !b.data_size)
			die("batch: the data buffer is used up");
		r = bcall(fd, &b);
		++*calls;
		if (r == -ENAMETOOLONG && room && room < PATH_MAX) {
			room = PATH_MAX + BIDMAX;	/* this first name needs more room */
			continue;
		}
		room = dsz;
		if (r < 0 || (unsigned int)r != b.filled || n + r > MAXV) {
			FAIL("batch: %d (filled %u)", r, b.filled);
			return -1;
		}
		if (!r && !(b.out_flags & VMAINFO_BATCH_END)) {
			FAIL("batch: nothing filled, not at the end (out %x)", b.out_flags);
			return -1;
		}
		data_full += !!(b.out_flags & VMAINFO_BATCH_DATA_FULL);
		if ((b.out_flags & VMAINFO_BATCH_DATA_FULL) && dsz >= (1 << 20))
			FAIL("batch: data full with %u bytes", dsz);
		n += r;
		doff += b.data_size;
		at = b.next_addr;
		if (b.out_flags & VMAINFO_BATCH_END)
			return n;
	}
}

static int cmd_batch(int argc __attribute__((unused)), char **argv)
{
	static const size_t rsizes[] = { PMQ_SZ, 112, 136, FULL_SZ, FULL_SZ + 16 };
	const unsigned long all = VMAINFO_BATCH_NAMES | VMAINFO_BATCH_BUILD_IDS;
	struct vmainfo_query_batch b;
	int ofd, n, want, calls, r;
	unsigned long f;
	unsigned int i;

	set_target(argv[0]);
	ofd = open_ours(argv[1]);
	smaps_read();
	make_addrs();

	/* iteration: every flag set (some, with many VMAs), against single queries */
	for (f = 0; f < 64; f += nvmas > 300 ? 11 : 1) {
		unsigned long at = 0;

		want = 0;
		for (;;) {
			ask_sz(ofd, at, f | 0x10, PMQ_SZ, 0, 0, &oa);
			if (oa.rc)
				break;
			want++;
			at = oa.q.pmq.vma_end;
		}
		n = iterate(ofd, f, all, FULL_SZ, 1000, sizeof(data) / 2, &calls);
		if (n != want)
			FAIL("iteration, flags %lx: %d records, %d single answers", f, n, want);
		for (i = 0; n > 0 && i < (unsigned int)n; i++)
			check_rec(ofd, (void *)(recbuf + i * FULL_SZ), all, FULL_SZ, "iteration");
	}
	/* record sizes, smaller and larger than ours */
	for (i = 0; i < sizeof(rsizes) / sizeof(rsizes[0]); i++) {
		memset(recbuf, 0xa5, sizeof(recbuf));
		n = iterate(ofd, 0, all, rsizes[i], 1000, sizeof(data) / 2, &calls);
		for (int j = 0; j < n; j++) {
			unsigned char *rec = recbuf + j * rsizes[i];

			memcpy(&recs[0], rec, rsizes[i] < FULL_SZ ? rsizes[i] : FULL_SZ);
			check_rec(ofd, &recs[0], all, rsizes[i], "record size");
			for (size_t k = FULL_SZ; k < rsizes[i]; k++)
				if (rec[k])
					FAIL("record size %zu: byte %zu not cleared", rsizes[i], k);
		}
		if (rsizes[i] < FULL_SZ && n > 0 && recbuf[n * rsizes[i]] != 0xa5)
			FAIL("record size %zu: written past the last record", rsizes[i]);
	}
	/* resumed: 3 records and a small data buffer per call */
	want = iterate(ofd, 0, all, FULL_SZ, 1000, sizeof(data) / 2, &calls);
	if (want <= 0)
		return 1;
	memcpy(recs, recbuf, want * FULL_SZ);
	data_full = 0;
	n = iterate(ofd, 0, all, FULL_SZ, 3, 96, &calls);
	if (n != want || calls < want / 3 || !data_full)
		FAIL("resumed: %d records in %d calls (%d data full), %d in one", n, calls,
		     data_full, want);
	for (i = 0; n == want && i < (unsigned int)n; i++) {
		struct vmainfo_query *x = (void *)(recbuf + i * FULL_SZ);

		check_rec(ofd, x, all, FULL_SZ, "resumed");
		if (x->pmq.vma_start != recs[i].pmq.vma_start || x->present != recs[i].present)
			FAIL("resumed: record %u is %llx, not %llx", i,
			     (unsigned long long)x->pmq.vma_start,
			     (unsigned long long)recs[i].pmq.vma_start);
	}
	printf("# iteration: %d VMAs; 3 records and 96 data bytes a call: %d calls\n", want, calls);

	/* addresses: those of interest and 10,000 more, with some flag sets */
	for (i = 0; i < (unsigned int)naddrs; i++)
		baddrs[i] = addrs[i];
	srandom(target);
	for (; i < (unsigned int)naddrs + 10000; i++) {
		struct vma *v = &vmas[random() % nvmas];

		baddrs[i] = v->start + random() % (v->end - v->start + 2 * PAGE) - PAGE;
	}
	for (f = 0; f < 64; f += nvmas > 300 ? 64 : 9) {
		unsigned int done = 0, total = i, per = f ? 777 : total;

		while (done < total) {
			memset(&b, 0, sizeof(b));
			b.size = sizeof(b);
			b.query_flags = f;
			b.batch_flags = VMAINFO_BATCH_ADDRS | all;
			b.addrs_addr = (uintptr_t)(baddrs + done);
			b.recs_addr = (uintptr_t)recbuf;
			b.rec_size = FULL_SZ;
			b.rec_count = total - done < per ? total - done : per;
			if (b.rec_count > MAXV)
				b.rec_count = MAXV;
			b.data_addr = (uintptr_t)data;
			b.data_size = sizeof(data);
			r = bcall(ofd, &b);
			if (r <= 0) {
				FAIL("addresses, flags %lx: %d", f, r);
				break;
			}
			for (int j = 0; j < r; j++) {
				struct vmainfo_query *x = (void *)(recbuf + j * FULL_SZ);

				if (x->pmq.query_addr != baddrs[done + j])
					FAIL("addresses: record %u for %llx, not %lx", done + j,
					     (unsigned long long)x->pmq.query_addr, baddrs[done + j]);
				check_rec(ofd, x, all, FULL_SZ, "addresses");
			}
			done += r;
		}
	}
	printf("# addresses: %u, %d flag sets\n", i, nvmas > 300 ? 1 : 8);

	/* errors */
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.recs_addr = (uintptr_t)recbuf;
	b.rec_size = FULL_SZ;
	b.rec_count = 4;
#define BERR(what, field, val, want) do {					\
		struct vmainfo_query_batch c = b;				\
		c.field = (val);						\
		if ((r = bcall(ofd, &c)) != (want))				\
			FAIL("batch %s: %d, not %d", what, r, want);		\
	} while (0)
	BERR("size 80", size, 80, -EINVAL);
	BERR("size 4097", size, 4097, -E2BIG);
	BERR("query flag 0x40", query_flags, 0x40, -EINVAL);
	BERR("batch flag 0x10", batch_flags, 0x10, -EINVAL);
	BERR("names, no buffer", batch_flags, VMAINFO_BATCH_NAMES, -EINVAL);
	BERR("addresses, no array", batch_flags, VMAINFO_BATCH_ADDRS, -EINVAL);
	BERR("record size 100", rec_size, 100, -EINVAL);
	BERR("record size 108", rec_size, 108, -EINVAL);
	BERR("record size 4104", rec_size, 4104, -EINVAL);
	BERR("reserved", reserved, 1, -EINVAL);
	BERR("data size, no address", data_size, 100, -EINVAL);
	BERR("records at a bad address", recs_addr, 8, -EFAULT);
	BERR("no records", rec_count, 0, 0);
	BERR("4 records", rec_count, 4, 4);
	for (i = 0; i < (unsigned int)nvmas && vmas[i].name[0] != '/'; i++)
		;
	if (i == (unsigned int)nvmas)
		die("no VMA with a path");
	b.query_flags = VMAINFO_PMQ_FILE_BACKED_VMA;
	b.batch_flags = VMAINFO_BATCH_NAMES;
	b.addr = vmas[i].start;
	b.data_addr = (uintptr_t)data;
	BERR("a first name longer than the data buffer", data_size, 4, -ENAMETOOLONG);
	b.data_size = strlen(vmas[i].name) + 1;
	r = bcall(ofd, &b);
	if (r != 1 || b.filled != 1 || b.out_flags != VMAINFO_BATCH_DATA_FULL ||
	    b.data_size != strlen(vmas[i].name) + 1 || b.next_addr != vmas[i].end ||
	    strcmp(data, vmas[i].name))
		FAIL("batch: one name's room: %d, filled %u, out %x, data %u, next %llx", r,
		     b.filled, b.out_flags, b.data_size, (unsigned long long)b.next_addr);
	return failures ? 1 : 0;
}

/* ---- pmq sorted: addresses alone (VMAs found reused) = the kernel's ---- */

static unsigned long saddrs[20000];

/*
 * Does this kernel have the VMA index (VMAINFO_BATCH_INDEX)?  Where mm_lock_seq
 * is a seqcount: Debian's 6.12 and 7.x, not 6.1 (kernel-facts.md).
 */
static int index_expected(void)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &a, &b) != 2)
		die("uname");
	return a > 6 || (a == 6 && b >= 12);
}

/* Calls with VMAINFO_BATCH_INDEX: asked, answered from the index. */
static unsigned int ix_asked, ix_indexed;

/*
 * A single query's answer, memoized: the target is stopped, so the same
 * address, flags and size to the same file get the same answer, and the
 * arrays below ask the same addresses again with the same flag sets (each
 * asked once instead of about six times: on arm64 under TCG the 1500-VMA
 * process's check took 8 minutes, nearly all of it in these oracle calls).
 * Never with a name or a build ID.
 */
struct memo {
	unsigned long addr, flags;
	int fd, size;		/* size 0: an empty slot */
	int rc, err;
	struct vmainfo_query q;
};
#define MEMO_SLOTS (1u << 19)
static struct memo *memo;
static unsigned long memo_asked, memo_kept;

static void ask_memo(int fd, unsigned long addr, unsigned long flags, size_t size, struct ans *a)
{
	unsigned long h = (addr * 0x9e3779b97f4a7c15ul) ^ (flags * 0xff51afd7ed558ccdul) ^
			  ((unsigned long)fd << 20) ^ size;
	struct memo *m;

	if (!memo && !(memo = calloc(MEMO_SLOTS, sizeof(*memo))))
		die("calloc");
	memo_asked++;
	for (h ^= h >> 29;; h++) {
		m = &memo[h & (MEMO_SLOTS - 1)];
		if (!m->size)
			break;
		if (m->addr == addr && m->flags == flags && m->fd == fd && m->size == (int)size) {
			memset(&a->q, 0, sizeof(a->q));
			memcpy(&a->q, &m->q, size);
			a->rc = m->rc;
			a->err = m->err;
			return;
		}
	}
	ask_sz(fd, addr, flags, size, 0, 0, a);
	if (memo_kept >= MEMO_SLOTS / 2)	/* the table full enough: ask each time */
		return;
	memo_kept++;
	*m = (struct memo){ .addr = addr, .flags = flags, .fd = fd, .size = size,
			    .rc = a->rc, .err = a->err };
	memcpy(&m->q, &a->q, size);
}

/*
 * The @n addresses at saddrs with @f, @per a call, records of @rsz bytes,
 * batch flags @bf with VMAINFO_BATCH_ADDRS: each record = the kernel's
 * PROCMAP_QUERY for its address (ours where the kernel has none: @kfd < 0)
 * in procmap_query's fields, = our single query in the tail, and in the
 * caller's order.  VMAINFO_BATCH_INDEXED only with VMAINFO_BATCH_INDEX and
 * procmap_query's size, where the kernel has the index.
 */
static void sorted_check(int ofd, int kfd, const char *what, unsigned int n, unsigned int per,
			 unsigned long f, size_t rsz, unsigned long bf)
{
	size_t cmp = rsz < FULL_SZ ? rsz : FULL_SZ;
	unsigned int done = 0;
	struct vmainfo_query x;
	int r;

	while (done < n) {
		struct vmainfo_query_batch b = {
			.size = sizeof(b), .query_flags = f, .batch_flags = VMAINFO_BATCH_ADDRS | bf,
			.addrs_addr = (uintptr_t)(saddrs + done), .recs_addr = (uintptr_t)recbuf,
			.rec_size = rsz, .rec_count = n - done < per ? n - done : per,
		};

		memset(recbuf, 0xa5, (b.rec_count + 1) * rsz);
		r = bcall(ofd, &b);
		if (r != (int)b.rec_count || b.filled != b.rec_count) {
			FAIL("%s, flags %lx: %d records of %u", what, f, r, b.rec_count);
			return;
		}
		if (recbuf[r * rsz] != 0xa5)
			FAIL("%s, flags %lx: written past the last record", what, f);
		if ((b.out_flags & VMAINFO_BATCH_INDEXED) &&
		    (!(bf & VMAINFO_BATCH_INDEX) || rsz != PMQ_SZ || !index_expected()))
			FAIL("%s, flags %lx, size %zu, batch flags %lx: answered from an index",
			     what, f, rsz, bf);
		if ((bf & VMAINFO_BATCH_INDEX) && rsz == PMQ_SZ) {
			ix_asked++;
			ix_indexed += !!(b.out_flags & VMAINFO_BATCH_INDEXED);
		}
		for (int j = 0; j < r; j++) {
			const unsigned char *rec = recbuf + j * rsz;
			unsigned long a = saddrs[done + j];

			memcpy(&x, rec, cmp);
			for (size_t k = cmp; k < rsz; k++)
				if (rec[k])
					FAIL("%s: record size %zu: byte %zu not cleared", what, rsz, k);
			if (x.pmq.size != rsz || x.pmq.query_addr != a || x.pmq.query_flags != f ||
			    x.pmq.vma_name_size || x.pmq.build_id_size || x.pmq.vma_name_addr ||
			    x.pmq.build_id_addr)
				FAIL("%s: record %u (%lx, flags %lx): its query's fields differ", what,
				     done + j, a, f);
			ask_memo(kfd >= 0 ? kfd : ofd, a, f, PMQ_SZ, &ka);
			x.pmq.size = PMQ_SZ;
			if (ka.rc ? ka.err != ENOENT || x.pmq.vma_start || x.pmq.vma_end ||
				    x.pmq.vma_flags || x.pmq.inode || x.pmq.vma_offset
				  : memcmp(&x, &ka.q, PMQ_SZ)) {
				FAIL("%s: record %u (%lx, flags %lx) differs from the %s single query",
				     what, done + j, a, f, kfd >= 0 ? "kernel's" : "our");
				printf("#   record: %llx-%llx flags %llx\n",
				       (unsigned long long)x.pmq.vma_start,
				       (unsigned long long)x.pmq.vma_end,
				       (unsigned long long)x.pmq.vma_flags);
				show("single", &ka);
			}
			if (cmp <= PMQ_SZ)
				continue;
			ask_memo(ofd, a, f, cmp, &oa);
			if (memcmp((char *)&x + PMQ_SZ, (char *)&oa.q + PMQ_SZ, cmp - PMQ_SZ))
				FAIL("%s: record %u (%lx, flags %lx): the tail differs from our single query",
				     what, done + j, a, f);
		}
		done += r;
	}
}

static int cmd_sorted(int argc __attribute__((unused)), char **argv)
{
	static const size_t rsizes[] = { PMQ_SZ, 112, FULL_SZ, FULL_SZ + 16 };
	unsigned long f, step;
	unsigned int n, i, k, cases = 0;
	int ofd, kfd;

	set_target(argv[0]);
	ofd = open_ours(argv[1]);
	kfd = open_maps();
	ask_sz(kfd, 0, VMAINFO_PMQ_COVERING_OR_NEXT_VMA, PMQ_SZ, 0, 0, &ka);
	if (ka.rc && ka.err != ENOENT) {	/* before 6.11: ours is the oracle */
		close(kfd);
		kfd = -1;
	}
	smaps_read();
	make_addrs();
	if (3 * naddrs + 3000 > (int)(sizeof(saddrs) / sizeof(saddrs[0])))
		die("too many addresses");
	step = nvmas > 300 ? 7 : 1;
	srandom(target);
	for (int array = 0; array < 4; array++) {
		static const char *const names[] = {
			"ascending", "descending", "unsorted", "duplicates",
		};

		n = 0;
		switch (array) {
		case 0:	/* already in order (no sort), gaps, past the last VMA, ~0 */
			for (i = 0; i < (unsigned int)naddrs; i++)
				saddrs[n++] = addrs[i];
			break;
		case 1:
			for (i = naddrs; i-- > 0;)
				saddrs[n++] = addrs[i];
			break;
		case 2:	/* shuffled, and 3000 around the VMAs */
			for (i = 0; i < (unsigned int)naddrs; i++)
				saddrs[n++] = addrs[i];
			for (i = 0; i < 3000; i++) {
				struct vma *v = &vmas[random() % nvmas];

				saddrs[n++] = v->start + random() % (v->end - v->start + 2 * PAGE) - PAGE;
			}
			for (i = n - 1; i > 0; i--) {
				unsigned long t = saddrs[i];

				k = random() % (i + 1);
				saddrs[i] = saddrs[k];
				saddrs[k] = t;
			}
			break;
		case 3:	/* each three times, far apart, and runs of one address */
			for (k = 0; k < 3; k++)
				for (i = 0; i < (unsigned int)naddrs; i++)
					saddrs[n++] = addrs[k == 1 ? naddrs - 1 - i : i];
			for (i = 0; i < 8; i++)
				saddrs[n++] = addrs[naddrs / 2];
			break;
		}
		/*
		 * 1500 a call: a part of 1024 read and one of 476; and 7 a call;
		 * from the tree, and from the VMA index (every third or fifth flag set)
		 */
		for (f = 0; f < 64; f += step, cases++)
			sorted_check(ofd, kfd, names[array], n, 1500, f, PMQ_SZ, 0);
		for (f = 0; f < 64; f += step == 1 ? 3 : 5, cases++)
			sorted_check(ofd, kfd, names[array], n, 1500, f, PMQ_SZ, VMAINFO_BATCH_INDEX);
		sorted_check(ofd, kfd, names[array], n, 7, 0x10, PMQ_SZ, 0);
		sorted_check(ofd, kfd, names[array], n, 7, 0x10, PMQ_SZ, VMAINFO_BATCH_INDEX);
		for (i = 1; i < sizeof(rsizes) / sizeof(rsizes[0]); i++, cases += 3) {
			sorted_check(ofd, kfd, names[array], n, 1500, 0, rsizes[i], 0);
			sorted_check(ofd, kfd, names[array], n, 1500, 0x1b, rsizes[i], 0);
			/* the tail needs the VMAs: never the index */
			sorted_check(ofd, kfd, names[array], n, 1500, 0x1b, rsizes[i],
				     VMAINFO_BATCH_INDEX);
		}
	}
	/*
	 * The target is stopped: its VMAs change only if the kernel write-locks
	 * its mmap lock (khugepaged), and the index is built again then.
	 */
	if (index_expected() ? ix_indexed < ix_asked / 2 + 1 : ix_indexed)
		FAIL("%u of %u calls with VMAINFO_BATCH_INDEX answered from the index", ix_indexed,
		     ix_asked);
	printf("# %s: %d VMAs, %d addresses of interest, %u arrays x flag sets x sizes, against %s"
	       " (%lu answers, %lu distinct single queries); %u of %u index calls from the index\n",
	       pidstr, nvmas, naddrs, cases, kfd >= 0 ? "the kernel's PROCMAP_QUERY" : "our single query",
	       memo_asked, memo_kept, ix_indexed, ix_asked);
	return failures ? 1 : 0;
}

/* ---- pmq wl: the workload ---- */

static void *xmmap(void *at, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(at, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void put(const char *path, const void *b, size_t n)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	if (fd < 0 || write(fd, b, n) != (ssize_t)n)
		die("write %s", path);
	close(fd);
}

static void *map_file(const char *path, int prot)
{
	int fd = open(path, O_RDWR);
	void *p;

	if (fd < 0)
		die("open %s", path);
	p = xmmap(NULL, PAGE, prot, MAP_PRIVATE, fd, 0);
	close(fd);
	return p;
}

/* A synthetic ELF file: a header, @n program headers, then the notes @nb. */
static unsigned char elfbuf[64 * 1024];

static size_t note(unsigned char *at, uint32_t namesz, const char *name, uint32_t descsz,
		   uint32_t type, unsigned char fill)
{
	Elf32_Nhdr h = { namesz, descsz, type };
	size_t n = sizeof(h);

	memcpy(at, &h, sizeof(h));
	memcpy(at + n, name, strlen(name) + 1);
	n += (strlen(name) + 1 + 3) & ~3UL;
	memset(at + n, fill, descsz < 64 ? descsz : 64);
	return n + ((descsz < 64 ? descsz : 64) + 3) / 4 * 4;
}

static void elf64(const char *path, int type, unsigned int phnum, int notei,
		  size_t (*notes)(unsigned char *))
{
	Elf64_Ehdr *e = (void *)elfbuf;
	Elf64_Phdr *ph = (void *)(elfbuf + sizeof(*e));
	size_t at = sizeof(*e) + phnum * sizeof(*ph), n;

	memset(elfbuf, 0, sizeof(elfbuf));
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = type;
	e->e_phoff = sizeof(*e);
	e->e_phentsize = sizeof(*ph);
	e->e_phnum = phnum;
	for (unsigned int i = 0; i < phnum; i++)
		ph[i].p_type = PT_LOAD;
	n = notes(elfbuf + at);
	ph[notei].p_type = PT_NOTE;
	ph[notei].p_offset = at;
	ph[notei].p_filesz = n;
	put(path, elfbuf, at + n + 16);
}

static size_t n_gnu20(unsigned char *a) { return note(a, 4, "GNU", 20, 3, 0x20); }
static size_t n_gnu21(unsigned char *a) { return note(a, 4, "GNU", 21, 3, 0x21); }
static size_t n_two(unsigned char *a)
{
	size_t n = note(a, 4, "Go\0", 8, 4, 0x47);	/* another kind first */

	n += note(a + n, 5, "GNUX", 8, 3, 0x58);	/* wrong name size */
	return n + note(a + n, 4, "GNU", 12, 3, 0x12);
}
static size_t n_wrap(unsigned char *a) { return note(a, 0xffffffffu, "GNU", 8, 3, 0x77); }

static void *thread_fn(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int cmd_wl(int argc, char **argv)
{
	static const int prots[] = { PROT_READ, PROT_WRITE, PROT_EXEC, PROT_READ | PROT_WRITE,
				     PROT_READ | PROT_EXEC, PROT_WRITE | PROT_EXEC,
				     PROT_READ | PROT_WRITE | PROT_EXEC, PROT_NONE };
	char *exe, *p;
	size_t len;
	pthread_t th;
	int fd;

	/* the brk heap */
	p = sbrk(16 * PAGE);
	if (p == (void *)-1)
		die("sbrk");
	memset(p, 1, 16 * PAGE);
	/* this program's copies: deleted, and under a name with a space and a newline */
	exe = malloc(8 << 20);
	fd = open("/proc/self/exe", O_RDONLY);
	len = fd < 0 ? 0 : read(fd, exe, 8 << 20);
	close(fd);
	if (len < 4096)
		die("read /proc/self/exe");
	put("/tmp/pmq-deleted", exe, len);
	xmmap(NULL, len, PROT_READ, MAP_PRIVATE, open("/tmp/pmq-deleted", O_RDONLY), 0);
	unlink("/tmp/pmq-deleted");
	mkdir("/tmp/pmq dir", 0755);
	put("/tmp/pmq dir/new\nline (deleted)", exe, len);
	map_file("/tmp/pmq dir/new\nline (deleted)", PROT_READ | PROT_EXEC);
	put("/tmp/pmq-data", "not an ELF file\n", 16);
	map_file("/tmp/pmq-data", PROT_READ);
	put("/tmp/pmq-short", ELFMAG "\2\1", 6);
	map_file("/tmp/pmq-short", PROT_READ);
	/* synthetic ELF files: the rules of lib/buildid.c */
	elf64("/tmp/pmq-elf-gnu20", ET_DYN, 3, 1, n_gnu20);
	map_file("/tmp/pmq-elf-gnu20", PROT_READ);
	elf64("/tmp/pmq-elf-gnu21", ET_EXEC, 2, 0, n_gnu21);		/* 21 bytes: none */
	map_file("/tmp/pmq-elf-gnu21", PROT_READ);
	elf64("/tmp/pmq-elf-rel", ET_REL, 1, 0, n_gnu20);		/* ET_REL: none */
	map_file("/tmp/pmq-elf-rel", PROT_READ);
	elf64("/tmp/pmq-elf-two", ET_DYN, 2, 1, n_two);			/* the third note */
	map_file("/tmp/pmq-elf-two", PROT_READ);
	elf64("/tmp/pmq-elf-wrap", ET_DYN, 1, 0, n_wrap);		/* name size wraps */
	map_file("/tmp/pmq-elf-wrap", PROT_READ);
	elf64("/tmp/pmq-elf-phnum", ET_DYN, 300, 280, n_gnu20);	/* past 256 headers */
	map_file("/tmp/pmq-elf-phnum", PROT_READ);
	{	/* a 32-bit ELF file with an 8-byte build ID */
		Elf32_Ehdr *e = (void *)elfbuf;
		Elf32_Phdr *ph = (void *)(elfbuf + sizeof(*e));
		size_t n;

		memset(elfbuf, 0, sizeof(elfbuf));
		memcpy(e->e_ident, ELFMAG, SELFMAG);
		e->e_ident[EI_CLASS] = ELFCLASS32;
		e->e_ident[EI_DATA] = ELFDATA2LSB;
		e->e_type = ET_EXEC;
		e->e_phoff = sizeof(*e);
		e->e_phnum = 1;
		n = note(elfbuf + sizeof(*e) + sizeof(*ph), 4, "GNU", 8, 3, 0x32);
		ph->p_type = PT_NOTE;
		ph->p_offset = sizeof(*e) + sizeof(*ph);
		ph->p_filesz = n;
		put("/tmp/pmq-elf32", elfbuf, ph->p_offset + n);
		map_file("/tmp/pmq-elf32", PROT_READ);
	}
	/* shared: a file, a memfd, MAP_SHARED|MAP_ANONYMOUS */
	put("/tmp/pmq-shared", exe, PAGE);
	fd = open("/tmp/pmq-shared", O_RDWR);
	xmmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	fd = memfd_create("pmq", 0);
	if (fd < 0 || ftruncate(fd, 4 * PAGE))
		die("memfd");
	memset(xmmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), 2, PAGE);
	p = xmmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	printf("anon_shmem_name=%d\n",
	       !prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)p, 2 * PAGE, "pmq shm"));
	/* permissions, and names set with prctl() where the kernel has them */
	for (unsigned int i = 0; i < sizeof(prots) / sizeof(prots[0]); i++) {
		p = xmmap(NULL, 3 * PAGE, prots[i], MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (prots[i] & PROT_WRITE)
			p[PAGE] = 1;
		if (i == 3)
			printf("anon_name=%d\n", !prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME,
							(unsigned long)p, 3 * PAGE, "pmq:anon"));
	}
	/* hugetlb, if pages are reserved */
	p = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	printf("hugetlb=%s\n", p == MAP_FAILED ? "no" : "yes");
	if (p != MAP_FAILED)
		p[0] = 1;
	/* memfd_secret(), where it is on */
	fd = syscall(447, 0);
	if (fd >= 0 && !ftruncate(fd, PAGE))
		printf("secretmem=%s\n",
		       mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) != MAP_FAILED ?
		       "yes" : "no");
	/* many one-page VMAs between two file mappings (the batch's scan limit) */
	if (argc && !strcmp(argv[0], "many")) {
		size_t n = 1500;

		p = xmmap(NULL, (n + 2) * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (size_t i = 0; i < n; i++)
			mprotect(p + (i + 1) * PAGE, PAGE, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE);
		fd = open("/tmp/pmq-data", O_RDONLY);
		xmmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
		xmmap(p + (n + 1) * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
		close(fd);
	}
	if (pthread_create(&th, NULL, thread_fn, NULL))
		die("pthread_create");
	printf("ready=1\n");
	fflush(stdout);
	raise(SIGSTOP);
	for (;;)
		pause();
}

/* ---- pmq index: the VMA index follows the process's changes ---- */

static unsigned long ixa[256];
static struct vmainfo_procmap_query ixr[256];

/*
 * A batch of the @n addresses at ixa with @f and VMAINFO_BATCH_INDEX on
 * @ofd: each record = @sfd's single query (the kernel's, or ours where the
 * kernel has none: single queries never use an index).  Returns out_flags,
 * or -1 (a failure, counted).
 */
static int ix_batch(int ofd, int sfd, const char *what, unsigned int n, unsigned long f)
{
	struct vmainfo_query_batch b = {
		.size = sizeof(b), .query_flags = f,
		.batch_flags = VMAINFO_BATCH_ADDRS | VMAINFO_BATCH_INDEX,
		.addrs_addr = (uintptr_t)ixa, .recs_addr = (uintptr_t)ixr,
		.rec_size = PMQ_SZ, .rec_count = n,
	};
	int r = bcall(ofd, &b);

	if (r != (int)n) {
		FAIL("%s, flags %lx: %d of %u records", what, f, r, n);
		return -1;
	}
	if (sfd < 0)
		return b.out_flags;
	for (unsigned int j = 0; j < n; j++) {
		ask_sz(sfd, ixa[j], f, PMQ_SZ, 0, 0, &ka);
		if (ka.rc ? ka.err != ENOENT || ixr[j].vma_end : !!memcmp(&ixr[j], &ka.q.pmq, PMQ_SZ)) {
			FAIL("%s, flags %lx: record %u (%lx) = %llx-%llx flags %llx, not the single query's",
			     what, f, j, ixa[j], (unsigned long long)ixr[j].vma_start,
			     (unsigned long long)ixr[j].vma_end, (unsigned long long)ixr[j].vma_flags);
			show("single", &ka);
		}
	}
	return b.out_flags;
}

/* Record @j is the VMA @start-@end with @flags (0 0 0: none, ENOENT). */
static void ix_is(const char *what, unsigned int j, unsigned long start, unsigned long end,
		  unsigned int flags)
{
	if (ixr[j].vma_start != start || ixr[j].vma_end != end || ixr[j].vma_flags != flags)
		FAIL("%s: %lx answered %llx-%llx flags %llx, not %lx-%lx flags %x", what, ixa[j],
		     (unsigned long long)ixr[j].vma_start, (unsigned long long)ixr[j].vma_end,
		     (unsigned long long)ixr[j].vma_flags, start, end, flags);
}

/* The out flags say the index answered iff the kernel has it. */
static void ix_want(const char *what, int out, int want)
{
	if (out >= 0 && !!(out & VMAINFO_BATCH_INDEXED) != want)
		FAIL("%s: %s from the index", what, want ? "not" : "");
}

static volatile int churn_stop;
static volatile long churns;
static char *churn_at;

/* Pin the caller to CPU @cpu, where the guest has it: the two threads run at once. */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1 && sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void *churn(void *arg)
{
	long pg = (long)arg;

	pin(1);
	while (!churn_stop) {
		mprotect(churn_at + 4 * pg, 4 * pg, PROT_READ | PROT_WRITE);
		mprotect(churn_at + 4 * pg, 4 * pg, PROT_NONE);
		churns++;
	}
	return NULL;
}

/*
 * pmq index SELF QUERY: the VMA index (VMAINFO_BATCH_INDEX) of this process,
 * changed between calls by mprotect() (a split), munmap(), mmap() into the
 * hole, mremap() of a file mapping: each call's answers = the single queries
 * (the kernel's) and the layout as built; the index answers (rebuilt) after
 * each change.  An index that has not paid for itself is not rebuilt at once
 * (the tree answers), and is again after a quarter of the VMAs' count of
 * answers.  QUERY (a query file): an index of one process never answers for
 * the next one selected, and a process gone gives ESRCH.  Then a thread
 * splits and merges a VMA while calls ask about it and about a stable VMA.
 */
static int cmd_index(int argc __attribute__((unused)), char **argv)
{
	long pg = sysconf(_SC_PAGESIZE);
	int ix = index_expected(), ofd, ofd2, sfd, kfd, out, qfd, tfd, calls, nmaps = 0, rw = 0;
	unsigned long B, R, F, X, f;
	char *base, buf[64], line[512];
	unsigned int j, n = 64;
	pthread_t th;
	FILE *mf;
	pid_t ch;
	int p[2];

	set_target("self");
	ofd = open_ours(argv[0]);
	kfd = open_maps();
	ask_sz(kfd, 0, VMAINFO_PMQ_COVERING_OR_NEXT_VMA, PMQ_SZ, 0, 0, &ka);
	sfd = ka.rc && ka.err != ENOENT ? open_ours(argv[0]) : kfd;	/* before 6.11: ours */
	put("/tmp/pmq-ix", elfbuf, 16 * pg);
	tfd = open("/tmp/pmq-ix", O_RDONLY);
	base = xmmap(NULL, 64 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	B = (unsigned long)base;
	R = B + 8 * pg;
	F = B + 32 * pg;
	xmmap((void *)R, 16 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	      -1, 0);
	xmmap((void *)F, 8 * pg, PROT_READ, MAP_PRIVATE | MAP_FIXED, tfd, 2 * pg);
	for (j = 0; j < n; j++)
		ixa[j] = B + j * pg + (j % 3) * 100;

	/* built, then after each change (each call's answers paid for it) */
	for (int step = 0; step < 5; step++) {
		static const char *const what[] = {
			"as built", "mprotect() split", "munmap()", "mmap() in the hole", "mremap()",
		};

		switch (step) {
		case 1:
			mprotect((void *)(R + 4 * pg), 4 * pg, PROT_READ);
			break;
		case 2:
			munmap((void *)(R + 12 * pg), 2 * pg);
			break;
		case 3:
			xmmap((void *)(R + 12 * pg), 2 * pg, PROT_READ | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		case 4:
			if (mremap((void *)F, 8 * pg, 8 * pg, MREMAP_MAYMOVE | MREMAP_FIXED,
				   (void *)(B + 48 * pg)) == MAP_FAILED)
				die("mremap");
			F = B + 48 * pg;
			break;
		}
		ix_want(what[step], ix_batch(ofd, sfd, what[step], n, 0), ix);
		ix_is(what[step], 9, R, step ? R + 4 * pg : R + 16 * pg, 3);
		if (step) {
			ix_is(what[step], 13, R + 4 * pg, R + 8 * pg, 1);
			ix_is(what[step], 17, R + 8 * pg, step == 1 ? R + 16 * pg : R + 12 * pg, 3);
		}
		if (step == 2)
			ix_is(what[step], 20, 0, 0, 0);
		if (step >= 3)
			ix_is(what[step], 21, R + 12 * pg, R + 14 * pg, 5);
		ix_is(what[step], step == 4 ? 50 : 33, F, F + 8 * pg, 1);
		if (step == 4)
			ix_is(what[step], 33, 0, 0, 0);
		for (f = 0x10; f < 0x40; f += 0x11)	/* 0x10, 0x21, 0x32 */
			ix_want(what[step], ix_batch(ofd, sfd, what[step], n, f), ix);
	}

	/* an index that did not pay for itself: the tree, until it would have */
	mf = fopen("/proc/self/maps", "r");
	while (mf && fgets(line, sizeof(line), mf))
		nmaps++;
	if (mf)
		fclose(mf);
	ofd2 = open_ours(argv[0]);
	ixa[0] = R + pg;
	ix_want("one address, a new file", ix_batch(ofd2, sfd, "one address", 1, 0), ix);
	mprotect((void *)R, pg, PROT_NONE);
	ixa[0] = R;
	ix_want("one address after a change", ix_batch(ofd2, sfd, "after a change", 1, 0), 0);
	if (ixr[0].vma_start > R || ixr[0].vma_end <= R || ixr[0].vma_flags)
		FAIL("after a change: %lx answered %llx-%llx flags %llx, not PROT_NONE", R,
		     (unsigned long long)ixr[0].vma_start, (unsigned long long)ixr[0].vma_end,
		     (unsigned long long)ixr[0].vma_flags);
	for (calls = 1; calls < nmaps; calls++) {
		out = ix_batch(ofd2, sfd, "one address, until rebuilt", 1, 0);
		if (out < 0 || (out & VMAINFO_BATCH_INDEXED))
			break;
	}
	if (ix ? calls > nmaps / 4 + 2 : calls < nmaps)
		FAIL("rebuilt at call %d after the change (%d VMAs)", calls, nmaps);
	if (ix)
		printf("# self: %d VMAs; the index answered again at call %d after a change\n",
		       nmaps, calls);
	else
		printf("# self: %d VMAs; no index here: %d calls from the tree\n", nmaps, calls);
	close(ofd2);

	/* a query file: one index per process selected; ESRCH when it is gone */
	if (pipe(p))
		die("pipe");
	ch = fork();
	if (ch < 0)
		die("fork");
	if (!ch) {
		munmap(base, 64 * pg);
		xmmap(base, 64 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(p[0], buf, 1) != 1)
		die("child");
	for (j = 0; j < n; j++)
		ixa[j] = B + j * pg + (j % 3) * 100;
	qfd = open_ours(argv[1]);	/* selects this process */
	ix_want("query file, this process", ix_batch(qfd, sfd, "query file", n, 0), ix);
	snprintf(buf, sizeof(buf), "%d\n", ch);
	if (write(qfd, buf, strlen(buf)) != (ssize_t)strlen(buf))
		die("select %d", ch);
	ix_want("query file, the child", ix_batch(qfd, -1, "query file, the child", n, 0), ix);
	for (j = 0; j < n; j++)
		ix_is("query file, the child", j, B, B + 64 * pg, 1);
	kill(ch, SIGKILL);
	waitpid(ch, NULL, 0);
	{
		struct vmainfo_query_batch b = {
			.size = sizeof(b), .batch_flags = VMAINFO_BATCH_ADDRS | VMAINFO_BATCH_INDEX,
			.addrs_addr = (uintptr_t)ixa, .recs_addr = (uintptr_t)ixr,
			.rec_size = PMQ_SZ, .rec_count = n,
		};
		int r = bcall(qfd, &b);

		if (r != -ESRCH)
			FAIL("query file, the child gone: %d, not -ESRCH", r);
	}
	close(qfd);

	/*
	 * a thread splits and merges a VMA while the index is asked (6.1 keeps
	 * VM_ACCOUNT after PROT_NONE again, so the part stays split there)
	 */
	churn_at = xmmap(NULL, 16 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	X = (unsigned long)churn_at;
	pin(0);
	if (pthread_create(&th, NULL, churn, (void *)pg))
		die("pthread_create");
	out = 0;
	while (!churns)
		sched_yield();
	nmaps = churns;
	for (calls = 0; calls < 300; calls++) {
		ixa[0] = R + 9 * pg;
		ixa[1] = X + 5 * pg;
		n = ix_batch(ofd, -1, "churn", 2, 0);
		out += n != (unsigned int)-1 && (n & VMAINFO_BATCH_INDEXED);
		rw += ixr[1].vma_flags == 3;
		ix_is("churn, a stable VMA", 0, R + 8 * pg, R + 12 * pg, 3);
		if (!(ixr[1].vma_start == X + 4 * pg && ixr[1].vma_end == X + 8 * pg &&
		      ixr[1].vma_flags == 3) &&
		    !(ixr[1].vma_start <= X + 4 * pg && ixr[1].vma_end >= X + 8 * pg &&
		      !ixr[1].vma_flags))
			FAIL("churn: %lx answered %llx-%llx flags %llx", X + 5 * pg,
			     (unsigned long long)ixr[1].vma_start,
			     (unsigned long long)ixr[1].vma_end,
			     (unsigned long long)ixr[1].vma_flags);
	}
	nmaps = churns - nmaps;
	churn_stop = 1;
	pthread_join(th, NULL);
	printf("# churn: %d of 300 calls from the index; %d splits and merges meanwhile; %d"
	       " answers with the split\n", out, 2 * nmaps, rw);
	unlink("/tmp/pmq-ix");
	return failures ? 1 : 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	int min, max;
} cmds[] = {
	{ "wl", cmd_wl, 0, 1 },
	{ "cmp", cmd_cmp, 2, 2 },
	{ "model", cmd_model, 2, 2 },
	{ "err", cmd_err, 2, 3 },
	{ "tail", cmd_tail, 1, 1 },
	{ "batch", cmd_batch, 2, 2 },
	{ "sorted", cmd_sorted, 2, 2 },
	{ "index", cmd_index, 2, 2 },
};

int main(int argc, char **argv)
{
	static char out[1 << 16];

	setvbuf(stdout, out, _IOLBF, sizeof(out));
	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc - 2 >= cmds[i].min &&
		    argc - 2 <= cmds[i].max)
			return cmds[i].run(argc - 2, argv + 2);
	fprintf(stderr, "usage: pmq wl [many] | cmp|model|err|batch|sorted PID|self FILE | tail PID | index SELF QUERY\n");
	return 2;
}
