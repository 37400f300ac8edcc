// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: show a process's address space from the vmainfo kernel module.
 * See Documentation/vmainfo.1.rst.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "jsonout.h"
#include "pagemap.h"
#include "parse.h"
#include "render.h"
#include "share.h"
#include "util.h"
#include "vmainfo_abi.h"
#include "watch.h"

#ifndef VMAINFO_VERSION	/* the VERSION file, through the Makefile */
#error "VMAINFO_VERSION undefined: build with make"
#endif
#define PROC_DIR	"/proc/" VMAINFO_PROC_DIR
#define DEBUGFS_DIR	"/sys/kernel/debug/" VMAINFO_DEBUGFS_DIR
#define QUERY_FILE	DEBUGFS_DIR "/query"
#define PROC_QUERY_FILE	PROC_DIR "/query"

static const char usage[] =
"Usage: vmainfo [OPTIONS] [VIEW] PID\n"
"Show a process's address space as the kernel holds it: the mm_struct summary,\n"
"the brk heap, every VMA with its kind, flags and resident pages.\n"
"Needs the vmainfo kernel module (insmod vmainfo.ko).\n"
"\n"
"Views:\n"
"  PID                    summary line and the VMAs in address order (default)\n"
"  heap PID               the brk heap, page by page, and the mallocs glibc\n"
"                         served with mmap\n"
"  pages PID [ADDR[-END]] page states (present/huge/swap/none, dirty, young...)\n"
"                         of the whole process, one page, or a range\n"
"  share PID              whose memory it is: RSS, PSS, USS, shared, and the\n"
"                         anonymous pages still shared copy-on-write since a\n"
"                         fork, per VMA and in total (as smaps_rollup counts)\n"
"  share PID PID2         two processes (a parent and its child): per VMA of\n"
"                         PID, the pages both still map on the same frames,\n"
"                         and those copied since\n"
"  counters PID           RSS counters as percpu_counter state: central value,\n"
"                         per-CPU (6.2+) or per-thread (6.1) parts, exact sum\n"
"  layout                 the kernel's virtual memory layout (root)\n"
"  raw PID                the module's text, as /proc/vmainfo/PID has it\n"
"  watch PID | -- CMD     trace brk/mmap/munmap/mremap/mprotect/madvise live\n"
"                         (eBPF; see 'vmainfo watch --help')\n"
"PID may be a number or 'self'.  Page maps, counters and layout come from\n"
"debugfs (/sys/kernel/debug/vmainfo), which needs root.\n"
"\n"
"Options:\n"
"  -j, --json       JSON for scripts (schema in vmainfo(1))\n"
"      --no-color   no colour (also when NO_COLOR is set or not a terminal)\n"
"  -f, --file FILE  read a saved /proc/vmainfo text instead of a live process\n"
"  -h, --help       this text\n"
"  -V, --version    version and the module format this CLI reads\n"
"\n"
"Examples:\n"
"  vmainfo $$                     the VMAs of this shell\n"
"  vmainfo heap $(pidof myapp)    where myapp's malloc()ed memory lives\n"
"  vmainfo pages 1234 0x7f00aa000000-0x7f00aa200000   page states of 2 MiB\n"
"  vmainfo counters 1234          RSS counters and their per-CPU deltas\n"
"  vmainfo share $(pgrep -o nginx)  how much of nginx's memory is its own\n"
"  vmainfo share 4242 4243        what parent 4242 and child 4243 still share\n"
"  vmainfo --json 1234 | jq '.vmas[] | select(.kind==\"heap\")'\n"
"  cat /proc/vmainfo/1234 > saved; vmainfo -f saved\n"
"  vmainfo watch -- ./myapp        every heap and mmap change of myapp, live\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage, 3 module not loaded, 4 no such process,\n"
"5 permission denied, 6 kernel thread, 7 module format not understood.\n";

static bool parse_pid(const char *s, long *pid)
{
	char *end;

	if (!strcmp(s, "self")) {
		*pid = (long)getpid();
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*pid = strtol(s, &end, 10);
	return !errno && !*end && *pid > 0 && *pid <= INT_MAX;
}

static int errno_exit(int err, const char *pidstr)
{
	switch (err) {
	case ESRCH:
	case ENOENT:
		return fail(EXIT_NOPROC, "no such process: %s", pidstr);
	case EACCES:
	case EPERM:
		return fail(EXIT_PERM, "permission denied for process %s "
			    "(another user's, not dumpable, or with capabilities you lack; try as root)", pidstr);
	default:
		return fail(EXIT_FAIL, "reading process %s: %s", pidstr, strerror(err));
	}
}

/* EXIT_OK if the module is loaded, else say so (with the insmod command). */
static int need_module(void)
{
	struct stat st;

	if (!stat(PROC_DIR, &st))
		return EXIT_OK;
	return fail(EXIT_NOMODULE, "the vmainfo kernel module is not loaded "
		    "(load it with: sudo insmod build/$(uname -r)/vmainfo.ko)");
}

/* Read @fd to its end into *buf, close it, map a read error to an exit status. */
static int read_close(int fd, const char *pidstr, char **buf, size_t *len)
{
	int err = read_all(fd, buf, len);

	close(fd);
	return err ? errno_exit(-err, pidstr) : EXIT_OK;
}

/*
 * Select the text by writing the pid to a query file: debugfs's when we can
 * open it (root), else /proc/vmainfo/query.  Both take the number in our own
 * pid namespace, as kill(2) does, so inside a container it names the process
 * we mean; /proc/vmainfo/PID is named by initial-namespace numbers and is
 * never used for a number (see Documentation/security.rst).  The file is
 * then read from *@fd.
 */
static int open_query(long pid, const char *pidstr, int *fd)
{
	char num[32];
	int err, n;

	if (need_module())
		return EXIT_NOMODULE;
	*fd = open(QUERY_FILE, O_RDWR | O_CLOEXEC);
	if (*fd < 0)
		*fd = open(PROC_QUERY_FILE, O_RDWR | O_CLOEXEC);
	if (*fd < 0)
		return fail(EXIT_FAIL, "cannot open %s", PROC_QUERY_FILE);
	n = snprintf(num, sizeof(num), "%ld\n", pid);
	if (write(*fd, num, (size_t)n) != n) {
		err = errno;
		close(*fd);
		return errno_exit(err, pidstr);
	}
	return EXIT_OK;
}

/* The text, whole. */
static int fetch(long pid, const char *pidstr, char **buf, size_t *len)
{
	int fd, rc = open_query(pid, pidstr, &fd);

	return rc ? rc : read_close(fd, pidstr, buf, len);
}

/* Write @arg to a debugfs file of the module (or a path), read back what it selects. */
static int fetch_debugfs(const char *name, const char *arg, const char *pidstr, char **buf,
			 size_t *len)
{
	char path[128];
	int fd, err;

	if (need_module())
		return EXIT_NOMODULE;
	/* a debugfs file of ours, or a path (/proc/vmainfo/share) */
	snprintf(path, sizeof(path), name[0] == '/' ? "%s" : DEBUGFS_DIR "/%s", name);
	fd = open(path, arg ? O_RDWR | O_CLOEXEC : O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if ((err == EACCES || err == EPERM) && name[0] != '/')
			return fail(EXIT_PERM, "%s needs root (debugfs is root-only)", path);
		return fail(EXIT_FAIL, "cannot open %s (is debugfs mounted on /sys/kernel/debug?)",
			    path);
	}
	if (arg && write(fd, arg, strlen(arg)) < 0) {
		err = errno;
		close(fd);
		if (err == ENODATA)
			return fail(EXIT_KTHREAD, "process %s is a kernel thread: it has no "
				    "address space", pidstr);
		if (err == EINVAL && strchr(arg, ' '))
			return fail(EXIT_USAGE, "bad address range '%s'", strchr(arg, ' ') + 1);
		return errno_exit(err, pidstr);
	}
	return read_close(fd, pidstr, buf, len);
}

/* "ADDR" (one page) or "ADDR-END", hex with or without 0x. */
static bool parse_range(const char *s, unsigned long *start, unsigned long *end)
{
	char *e;

	errno = 0;
	*start = strtoul(s, &e, 16);
	if (errno || e == s || *s == '-')
		return false;
	if (!*e) {
		*start &= ~(page_size() - 1);
		*end = *start + page_size();
		return true;
	}
	if (*e != '-')
		return false;
	s = e + 1;
	*end = strtoul(s, &e, 16);
	return !errno && e != s && !*e && *s != '-' && *start < *end;
}

/* What one run of the CLI holds: the command line, the text read, its parse. */
struct run {
	const char *file, *pidstr;
	long pid;
	bool json;
	struct render_opts ro;
	char *buf;
	size_t len;
	struct vmi_doc doc;	/* the process's text, parsed */
	struct pm_doc pm;	/* the page map, parsed */
	struct share_doc share;	/* /proc/vmainfo/share, parsed */
	bool have_doc, have_pm, have_share;
};

/* /proc/vmainfo text: parsed, of the format this CLI reads. */
static int parse_doc(struct run *r)
{
	unsigned long fmt;
	char err[128];
	int rc;

	if (!r->len && !r->file)	/* exited between selection and read */
		return errno_exit(ESRCH, r->pidstr);
	rc = vmi_parse_owned(r->buf, r->len, &r->doc, err, sizeof(err));
	r->buf = NULL;		/* the doc's now */
	if (rc)
		return fail(EXIT_FAIL, "cannot parse the module's output: %s", err);
	r->have_doc = true;
	if (!vmi_hdr_ul(&r->doc, "format", &fmt) || fmt != VMAINFO_FORMAT_VERSION)
		return fail(EXIT_VERSION, "the loaded module writes format %s; this vmainfo reads "
			    "format %d: use the CLI built with the module",
			    vmi_hdr(&r->doc, "format") ?: "?", VMAINFO_FORMAT_VERSION);
	return EXIT_OK;
}

static int parse_pages(struct run *r)
{
	if (pm_parse(r->buf, r->len, &r->pm))
		return fail(EXIT_FAIL, "cannot parse the page map of %s", r->pidstr);
	r->have_pm = true;
	return EXIT_OK;
}

/* The counters table is empty when the process exited after its selection. */
static int parse_counters(struct run *r)
{
	return r->len ? EXIT_OK : errno_exit(ESRCH, r->pidstr);
}

static int show_raw(struct run *r)
{
	fwrite(r->buf, 1, r->len, stdout);
	return EXIT_OK;
}

static int json_raw_table(struct run *r)
{
	json_table(stdout, r->buf);
	return EXIT_OK;
}

/*
 * Does the view need the pages of this VMA?  The heap view draws the heap
 * VMAs page by page; the default view's strip needs pages only where a VMA is
 * partly present (all or none draws the same from the counts).
 */
static bool needs_pages(const struct vmi_vma *v, bool heap)
{
	unsigned long pages = (v->end - v->start) / page_size();

	if (heap)
		return !strcmp(v->kind, "heap");
	return v->present < 0 || (v->present && (unsigned long long)v->present < pages);
}

#define PM_RANGES_MAX	64	/* more runs of such VMAs: one read of them all */

/*
 * The VMAs whose pages the view needs, in address order: up to PM_RANGES_MAX
 * runs of adjacent ones (beyond that, one from the first to the last).
 */
struct pm_sel {
	unsigned long lo[PM_RANGES_MAX], hi[PM_RANGES_MAX], last;
	size_t n;
	bool prev;
};

static void sel_add(struct pm_sel *s, const struct vmi_vma *v, bool heap)
{
	bool need = needs_pages(v, heap);

	if (need && !s->prev && s->n++ < PM_RANGES_MAX)
		s->lo[s->n - 1] = v->start;
	if (need && s->n <= PM_RANGES_MAX)
		s->hi[s->n - 1] = v->end;
	if (need)
		s->last = v->end;
	s->prev = need;
}

/*
 * The page map for density strips, when we may read it (root); else none.
 * Only the VMAs that need it are read, as the selections of @s: a process of
 * 60,000 VMAs, all present, costs no page-map read at all.
 */
static const struct pm_doc *density_map(struct run *r, struct pm_sel *s)
{
	size_t n = s->n, i, all = 0, len = 0;
	char *text = NULL;
	int fd;

	if (!n)
		return NULL;
	if (n > PM_RANGES_MAX) {	/* one selection, first to last */
		s->hi[0] = s->last;
		n = 1;
	}
	fd = open(DEBUGFS_DIR "/pagemap", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		char arg[64], *buf;
		size_t blen;

		snprintf(arg, sizeof(arg), "%ld 0x%lx 0x%lx", r->pid, s->lo[i], s->hi[i]);
		if (write(fd, arg, strlen(arg)) <= 0 || read_all(fd, &buf, &blen))
			break;
		text = xrealloc(text, len + blen + 1);
		memcpy(text + len, buf, blen + 1);
		len += blen;
		free(buf);
		all++;
	}
	close(fd);
	if (all == n && !pm_parse(text ? text : "", len, &r->pm))
		r->have_pm = true;
	free(text);
	return r->have_pm ? &r->pm : NULL;
}

/* The page map for the VMAs of the doc the view needs. */
static const struct pm_doc *doc_density_map(struct run *r, bool heap)
{
	struct pm_sel s = { .n = 0 };

	for (size_t i = 0; !r->file && i < r->doc.nvmas; i++)
		sel_add(&s, &r->doc.vmas[i], heap);
	return density_map(r, &s);
}

/* Bytes the default view and --json read at a time from the module. */
#define READ_CHUNK	(256 * 1024)

/*
 * The default view and --json of a process, its text read a VMA at a time
 * through a buffer of READ_CHUNK: each VMA is written out (JSON) or kept as a
 * compact row (the default view, whose summary line comes first) as it is
 * read, so a 60,000-VMA text (5 MB) is never held whole, nor parsed into an
 * array.  Fresh memory is what costs most here (the kernel clears each page).
 * The header is checked (format, kernel thread) before anything is written;
 * a VMA line the parser rejects (the module's text, so never seen) ends it
 * with the same error as the whole-text path, after the VMAs before it.
 */
static int show_stream(struct run *r)
{
	static char obb[1 << 16];
	struct obuf ob = OBUF_INIT(stdout, obb);
	struct render_rows rows = { .n = 0 };
	struct pm_sel sel = { .n = 0 };
	struct json_memo jm = { .len = { 0 } };
	struct vmi_reader rd;
	struct vmi_vma v;
	unsigned long fmt;
	char err[128];
	int fd, rc, got, bad = 0;

	rc = open_query(r->pid, r->pidstr, &fd);
	if (rc)
		return rc;
	vmi_reader_fd(&rd, fd, READ_CHUNK);
	rd.memo = true;
	r->have_doc = true;	/* its header */
	if (vmi_read_header(&rd, &r->doc, err, sizeof(err)))
		goto bad_text;
	if (!rd.total) {	/* exited between selection and read */
		rc = errno_exit(ESRCH, r->pidstr);
		goto out;
	}
	if (vmi_check_header(&r->doc, err, sizeof(err)))
		goto bad_text;
	if (!vmi_hdr_ul(&r->doc, "format", &fmt) || fmt != VMAINFO_FORMAT_VERSION) {
		rc = fail(EXIT_VERSION, "the loaded module writes format %s; this vmainfo reads "
			  "format %d: use the CLI built with the module",
			  vmi_hdr(&r->doc, "format") ?: "?", VMAINFO_FORMAT_VERSION);
		goto out;
	}
	if (r->json) {
		bad = json_doc_head(stdout, &r->doc);
	} else if (r->doc.kthread) {
		rc = fail(EXIT_KTHREAD, "process %s (%s) is a kernel thread: it has no address space",
			  vmi_hdr(&r->doc, "pid"), vmi_hdr(&r->doc, "comm"));
		goto out;
	}
	while ((got = vmi_read_vma(&rd, &r->doc, &v, err, sizeof(err))) > 0) {
		if (r->json) {
			json_vma(&ob, &v, rd.line_len, r->doc.nvmas, &jm, rd.line_slot, rd.line_id);
		} else {
			rows_add(&rows, &v, rd.line_slot, rd.line_id);
			sel_add(&sel, &v, false);
		}
		r->doc.nvmas++;
	}
	if (got < 0)
		goto bad_text;
	close(fd);
	fd = -1;
	if (r->json) {
		ob_flush(&ob);
		json_doc_tail(stdout, r->doc.truncated);
		rc = bad ? EXIT_FAIL : r->doc.kthread ? EXIT_KTHREAD : EXIT_OK;
	} else {
		render_rows(stdout, &r->doc, &rows, density_map(r, &sel), &r->ro);
	}
	goto out;
bad_text:
	ob_flush(&ob);
	rc = rd.read_err ? errno_exit(rd.read_err, r->pidstr) :
	     fail(EXIT_FAIL, "cannot parse the module's output: %s", err);
out:
	if (fd >= 0)
		close(fd);
	vmi_reader_free(&rd);
	json_memo_free(&jm);
	rows_free(&rows);
	return rc;
}

static int text_doc_or_heap(struct run *r, bool heap)
{
	if (r->doc.kthread)
		return fail(EXIT_KTHREAD, "process %s (%s) is a kernel thread: it has no address space",
			    vmi_hdr(&r->doc, "pid"), vmi_hdr(&r->doc, "comm"));
	if (heap)
		render_heap(stdout, &r->doc, doc_density_map(r, true), &r->ro);
	else
		render_doc(stdout, &r->doc, doc_density_map(r, false), &r->ro);
	return EXIT_OK;
}

static int text_doc(struct run *r)
{
	return text_doc_or_heap(r, false);
}

static int text_heap(struct run *r)
{
	return text_doc_or_heap(r, true);
}

static int json_process(struct run *r)
{
	/* a value not of its key's type: json.c said which */
	if (json_doc(stdout, &r->doc))
		return EXIT_FAIL;
	return r->doc.kthread ? EXIT_KTHREAD : EXIT_OK;
}

/*
 * /proc/vmainfo/share, and the process's VMA text for kinds and paths (read
 * after it, so a VMA mapped in between has none: "?").
 */
static int parse_share(struct run *r)
{
	char err[128], num[32], *text;
	size_t len;
	int rc, fd, n;

	if (!r->len && !r->file)	/* exited between selection and read */
		return errno_exit(ESRCH, r->pidstr);
	rc = share_parse(r->buf, r->len, &r->share, err, sizeof(err));
	r->buf = NULL;		/* the share doc's now */
	if (rc)
		return fail(EXIT_FAIL, "cannot parse %s: %s", r->file ?: PROC_DIR "/share", err);
	r->have_share = true;
	fd = r->file ? -1 : open(PROC_QUERY_FILE, O_RDWR | O_CLOEXEC);
	n = snprintf(num, sizeof(num), "%ld", r->pid);
	if (fd >= 0 && write(fd, num, (size_t)n) == n && !read_all(fd, &text, &len)) {
		char e[128];

		if (!vmi_parse_owned(text, len, &r->doc, e, sizeof(e)))
			r->have_doc = true;
	}
	if (fd >= 0)
		close(fd);
	return EXIT_OK;
}

static int text_share(struct run *r)
{
	render_share(stdout, &r->share, r->have_doc ? &r->doc : NULL, &r->ro);
	return EXIT_OK;
}

static int json_share_view(struct run *r)
{
	json_share(stdout, &r->share, r->have_doc ? &r->doc : NULL);
	return EXIT_OK;
}

static int text_pages(struct run *r)
{
	render_pages(stdout, &r->pm, &r->ro);
	return EXIT_OK;
}

static int json_pages_view(struct run *r)
{
	json_pages(stdout, &r->pm);
	return EXIT_OK;
}

/*
 * The views.  @source: the debugfs file read, or NULL for the process's own
 * text (the query files, or --file).  @parse checks and parses what was read
 * (none: used as it is); @text and @json write it out.  Each returns an exit
 * status.
 */
static const struct view {
	const char *name;
	bool needs_pid;
	bool takes_range;	/* PID [ADDR[-END]] */
	bool takes_pid2;	/* PID [PID2] */
	const char *source;
	int (*parse)(struct run *r);
	int (*text)(struct run *r);
	int (*json)(struct run *r);
	int (*stream)(struct run *r);	/* all of it, for a live process */
} views[] = {
	{ "show",	true,  false, false, NULL,	  parse_doc,	  text_doc,   json_process,
	  show_stream },
	{ "heap",	true,  false, false, NULL,	  parse_doc,	  text_heap,  json_process, NULL },
	{ "raw",	true,  false, false, NULL,	  NULL,		  show_raw,   show_raw, NULL },
	{ "pages",	true,  true,  false, "pagemap",  parse_pages,	  text_pages, json_pages_view, NULL },
	{ "counters",	true,  false, false, "counters", parse_counters, show_raw,   json_raw_table, NULL },
	{ "share",	true,  false, true,  PROC_DIR "/share", parse_share, text_share,
	  json_share_view, NULL },
	{ "layout",	false, false, false, "layout",	  NULL,		  show_raw,   json_raw_table, NULL },
};

static const struct view *find_view(const char *name)
{
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcmp(views[i].name, name))
			return &views[i];
	return NULL;
}

/* Read what @vw shows: the process's text, a debugfs file, or --file. */
static int read_source(const struct view *vw, struct run *r, const char *range)
{
	char arg[96];
	int fd, rc;

	if (r->file) {
		fd = open(r->file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fail(EXIT_FAIL, "cannot open %s", r->file);
		rc = read_all(fd, &r->buf, &r->len);
		close(fd);
		if (rc)
			return fail(EXIT_FAIL, "cannot read %s", r->file);
		r->pidstr = r->file;
		return EXIT_OK;
	}
	if (!vw->source)
		return fetch(r->pid, r->pidstr, &r->buf, &r->len);
	if (!vw->needs_pid)
		return fetch_debugfs(vw->source, NULL, r->pidstr, &r->buf, &r->len);
	snprintf(arg, sizeof(arg), "%ld", r->pid);
	if (range && vw->takes_pid2) {
		long pid2;

		if (!parse_pid(range, &pid2))
			return fail(EXIT_USAGE, "not a process id: '%s'", range);
		snprintf(arg, sizeof(arg), "%ld %ld", r->pid, pid2);
	} else if (range) {
		unsigned long s0, e0;

		if (!parse_range(range, &s0, &e0))
			return fail(EXIT_USAGE, "not an address or range: '%s' (e.g. 7f0000000000-7f0000200000)",
				    range);
		snprintf(arg, sizeof(arg), "%ld 0x%lx 0x%lx", r->pid, s0, e0);
	}
	return fetch_debugfs(vw->source, arg, r->pidstr, &r->buf, &r->len);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct run r = { .ro = { .color = true, .width = 120 } };
	const char *range = NULL;
	const struct view *vw;
	struct winsize ws;
	int c, rc;

	if (argc > 1 && !strcmp(argv[1], "watch"))
		return watch_main(argc - 1, argv + 1);
	while ((c = getopt_long(argc, argv, "jf:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': r.json = true; break;
		case 'C': r.ro.color = false; break;
		case 'f': r.file = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'V':
			printf("vmainfo %s (reads module format %d)\n", VMAINFO_VERSION,
			       VMAINFO_FORMAT_VERSION);
			return EXIT_OK;
		default:
			fputs("Try 'vmainfo --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}

	vw = optind < argc ? find_view(argv[optind]) : NULL;
	if (vw)
		optind++;
	else
		vw = find_view("show");
	if (!vw->needs_pid) {
		if (optind != argc || r.file)
			return fail(EXIT_USAGE, "%s takes no PID (try '%s --help')", vw->name, argv[0]);
		r.pidstr = vw->name;
	} else if (!r.file) {
		int want = (vw->takes_range || vw->takes_pid2) && optind == argc - 2 ? 2 : 1;

		if (argc - optind != want)
			return fail(EXIT_USAGE, "expected one PID (try '%s --help')", argv[0]);
		r.pidstr = argv[optind];
		if (!parse_pid(r.pidstr, &r.pid))
			return fail(EXIT_USAGE, "not a process id: '%s'", r.pidstr);
		if (want == 2)
			range = argv[optind + 1];
	} else if (optind != argc) {
		return fail(EXIT_USAGE, "no PID with --file (try '%s --help')", argv[0]);
	}
	if (r.file && vw->source && strcmp(vw->name, "share"))
		return fail(EXIT_USAGE, "--file works with the default, heap, raw and share views");
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		r.ro.color = false;
	if (!isatty(STDOUT_FILENO))
		r.ro.color = false;
	else if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		r.ro.width = ws.ws_col;

	if (vw->stream && !r.file) {
		rc = vw->stream(&r);
	} else {
		rc = read_source(vw, &r, range);
		if (!rc && vw->parse)
			rc = vw->parse(&r);
		if (!rc)
			rc = r.json ? vw->json(&r) : vw->text(&r);
	}
	free(r.buf);
	if (r.have_doc)
		vmi_doc_free(&r.doc);
	if (r.have_pm)
		pm_free(&r.pm);
	if (r.have_share)
		share_free(&r.share);
	if ((!rc || rc == EXIT_KTHREAD) && (fflush(stdout) || ferror(stdout)))
		return fail(EXIT_FAIL, "write error on standard output");
	return rc;
}
