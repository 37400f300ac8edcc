// SPDX-License-Identifier: GPL-2.0
/* The human views: a summary line, then the VMAs with sizes, kinds and residency. */
#include <string.h>
#include "render.h"
#include "util.h"

#define C_RESET	"\033[0m"
#define C_HEAP	"\033[1;33m"
#define C_STACK	"\033[1;36m"
#define C_TEXT	"\033[32m"
#define C_DIM	"\033[2m"

static const char *kind_color(const struct render_opts *o, const char *kind)
{
	if (!o->color)
		return "";
	if (!strcmp(kind, "heap"))
		return C_HEAP;
	if (!strcmp(kind, "stack") || !strcmp(kind, "thread-stack"))
		return C_STACK;
	if (!strcmp(kind, "text"))
		return C_TEXT;
	return "";
}

/* The page map's VMA starting at @start (they come in address order). */
static const struct pm_vma *pm_find(const struct pm_doc *pm, unsigned long start)
{
	size_t lo = 0, hi = pm ? pm->nvmas : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pm->vmas[mid].start == start)
			return &pm->vmas[mid];
		if (pm->vmas[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Where in the VMA pages are present: @w cells, each a slice of the VMA,
 * drawn by the share of its pages present: '.' none, ':' '-' '=' '+' '*'
 * growing, '#' all.
 */
static void density(struct obuf *f, const struct pm_vma *v, int w)
{
	static const char levels[] = ".:-=+*#";
	unsigned long span = v->end - v->start;

	for (int c = 0; c < w; c++) {
		unsigned long cs = v->start + span / w * c, ce = c == w - 1 ? v->end :
				   v->start + span / w * (c + 1), have = 0;

		for (size_t i = 0; i < v->nruns; i++) {
			const struct pm_run *r = &v->runs[i];
			unsigned long s = r->start > cs ? r->start : cs, e = r->end < ce ? r->end : ce;

			if (s < e && (r->state == PM_PRESENT || r->state == PM_HUGE))
				have += e - s;
		}
		if (ce <= cs || !have)
			ob_c(f, '.');
		else if (have >= ce - cs)
			ob_c(f, '#');
		else
			ob_c(f, levels[1 + (int)(have * 5 / (ce - cs))]);
	}
}

/* Without the page map (not root): a bar in proportion to present/total pages. */
static void bar(struct obuf *f, long long present, unsigned long total, int w)
{
	int fill, i;

	if (present < 0 || !total) {
		ob_pad(f, "", w, false);
		return;
	}
	fill = (int)((present * w + (long long)total - 1) / (long long)total);
	if (fill > w)
		fill = w;
	for (i = 0; i < w; i++)
		ob_c(f, i < fill ? '#' : '.');
}

#define GAP_SHOWN	(1UL << 30)	/* gaps of 1 GiB or more get their own line */
#define DENSITY_COLS	12		/* the DENSITY column: cells of a VMA */
#define PATH_MIN	10		/* the PATH column is never narrower */
/*
 * The PATH column gets the terminal width less this; the columns before it
 * take 87, so a long path may overhang by 3 (kept: the output stays as it was).
 */
#define PATH_OFFSET	84
#define ROW_PAGES	64		/* heap view: pages a row */
#define MAX_ROWS	64		/* heap view: rows a VMA (16 MiB of 4 KiB pages) */
#define MMAP_THRESHOLD	(128 * 1024)	/* glibc's default M_MMAP_THRESHOLD */

void render_doc(FILE *f, const struct vmi_doc *doc, const struct pm_doc *pm,
		const struct render_opts *o)
{
	static char obb[1 << 16];
	struct obuf ob = OBUF_INIT(f, obb);
	unsigned long start_brk = 0, brk = 0, pgt = 0, vsz = 0;
	unsigned long long rss = 0;
	char s1[16], s2[16], s3[16], s4[16];
	size_t i;
	int pathw;

	if (doc->kthread) {
		fprintf(f, "%s %s: kernel thread, no address space\n",
			vmi_hdr(doc, "pid"), vmi_hdr(doc, "comm"));
		return;
	}
	for (i = 0; i < doc->nvmas; i++) {
		vsz += doc->vmas[i].end - doc->vmas[i].start;
		if (doc->vmas[i].present > 0)
			rss += (unsigned long long)doc->vmas[i].present * page_size();
	}
	vmi_hdr_ul(doc, "start_brk", &start_brk);
	vmi_hdr_ul(doc, "brk", &brk);
	vmi_hdr_ul(doc, "pgtables_bytes", &pgt);
	human_size(vsz, s1, sizeof(s1));
	human_size(rss, s2, sizeof(s2));
	human_size(brk - start_brk, s3, sizeof(s3));
	human_size(pgt, s4, sizeof(s4));
	fprintf(f, "%s (pid %s)  VSZ %s  RSS %s  %zu VMAs  heap 0x%lx-0x%lx (%s, %s)  page tables %s\n",
		vmi_hdr(doc, "comm"), vmi_hdr(doc, "pid"), s1, s2, doc->nvmas,
		start_brk, brk, s3, vmi_hdr(doc, "heap_layout") ?: "?", s4);
	pathw = o->width - PATH_OFFSET;
	if (pathw < PATH_MIN)
		pathw = PATH_MIN;
	fprintf(f, "%-12s %-12s %7s %4s %-12s %7s %13s %-12s %s\n", "START", "END", "SIZE",
		"PERM", "KIND", "RSS", "PRESENT/PAGES", "DENSITY", "PATH");
	for (i = 0; i < doc->nvmas; i++) {
		const struct vmi_vma *v = &doc->vmas[i];
		unsigned long pages = (v->end - v->start) / page_size();
		const struct pm_vma *pv = pm_find(pm, v->start);
		const char *color = kind_color(o, v->kind);
		char sz[16], rs[16], pp[48], *p;

		if (i && v->start - doc->vmas[i - 1].end >= GAP_SHOWN) {
			human_size(v->start - doc->vmas[i - 1].end, sz, sizeof(sz));
			ob_flush(&ob);
			fprintf(f, "%s%-12s %-12s %7s  ... unmapped gap ...%s\n",
				o->color ? C_DIM : "", "", "", sz, o->color ? C_RESET : "");
		}
		human_size(v->end - v->start, sz, sizeof(sz));
		human_size(v->present > 0 ? (unsigned long long)v->present * page_size() : 0,
			   rs, sizeof(rs));
		/* "%lld/%lu", written backwards */
		p = pp + sizeof(pp) - 1;
		*p = '\0';
		do {
			*--p = (char)('0' + pages % 10);
			pages /= 10;
		} while (pages);
		*--p = '/';
		if (v->present < 0) {
			*--p = '1';
			*--p = '-';
		} else {
			unsigned long long n = (unsigned long long)v->present;

			do {
				*--p = (char)('0' + n % 10);
				n /= 10;
			} while (n);
		}
		ob_str(&ob, color);
		ob_hex(&ob, v->start, 12);
		ob_c(&ob, ' ');
		ob_hex(&ob, v->end, 12);
		ob_c(&ob, ' ');
		ob_pad(&ob, sz, 7, false);
		ob_c(&ob, ' ');
		ob_pad(&ob, v->perms, 4, false);
		ob_c(&ob, ' ');
		ob_pad(&ob, v->kind, 12, true);
		ob_c(&ob, ' ');
		ob_pad(&ob, rs, 7, false);
		ob_c(&ob, ' ');
		ob_pad(&ob, p, 13, false);
		ob_c(&ob, ' ');
		if (pv)
			density(&ob, pv, DENSITY_COLS);
		else
			bar(&ob, v->present, (v->end - v->start) / page_size(), DENSITY_COLS);
		ob_c(&ob, ' ');
		ob_put(&ob, v->path, strnlen(v->path, (size_t)pathw));
		if (o->color && *color)
			ob_str(&ob, C_RESET);
		ob_c(&ob, '\n');
	}
	ob_flush(&ob);
}

/* One character a page, a row of ROW_PAGES a line: '#' present, 'H' huge, 's' swapped, '.' none. */
static void page_rows(FILE *f, const struct pm_vma *v)
{
	unsigned long a, ps = page_size();
	size_t r = 0;
	int col = 0;

	for (a = v->start; a < v->end; a += ps) {
		char c = '.';

		while (r < v->nruns && v->runs[r].end <= a)
			r++;
		if (r < v->nruns && v->runs[r].start <= a)
			c = "#.Hs"[v->runs[r].state == PM_NONE ? 1 : v->runs[r].state == PM_PRESENT ? 0 :
				   v->runs[r].state == PM_HUGE ? 2 : 3];
		if (!col)
			fprintf(f, "    %012lx ", a);
		fputc(c, f);
		if (++col == ROW_PAGES) {
			fputc('\n', f);
			col = 0;
		}
		if (a - v->start >= MAX_ROWS * ROW_PAGES * ps) {	/* enough to see */
			fprintf(f, "%s    ... (%lu more pages)\n", col ? "\n" : "",
				(v->end - a) / ps - 1);
			return;
		}
	}
	if (col)
		fputc('\n', f);
}

void render_heap(FILE *f, const struct vmi_doc *doc, const struct pm_doc *pm,
		 const struct render_opts *o)
{
	unsigned long start_brk = 0, brk = 0;
	size_t i, nmm = 0;
	char s[16];

	vmi_hdr_ul(doc, "start_brk", &start_brk);
	vmi_hdr_ul(doc, "brk", &brk);
	human_size(brk - start_brk, s, sizeof(s));
	fprintf(f, "brk heap: 0x%lx-0x%lx  %s  layout %s  (%s VMA(s))\n", start_brk, brk, s,
		vmi_hdr(doc, "heap_layout") ?: "?", vmi_hdr(doc, "heap_vmas") ?: "?");
	for (i = 0; i < doc->nvmas; i++) {
		const struct vmi_vma *v = &doc->vmas[i];

		if (strcmp(v->kind, "heap"))
			continue;
		human_size(v->end - v->start, s, sizeof(s));
		fprintf(f, "  %s%012lx-%012lx %7s %s present %lld/%lu%s\n",
			kind_color(o, "heap"), v->start, v->end, s, v->perms, v->present,
			(v->end - v->start) / page_size(), o->color ? C_RESET : "");
		if (pm_find(pm, v->start))
			page_rows(f, pm_find(pm, v->start));
	}
	if (pm)
		fprintf(f, "  (one character a page: '#' present, 'H' huge, 's' swapped, '.' not present)\n");
	fprintf(f, "mmap-served allocations (anonymous private mappings >= %d KiB):\n",
		MMAP_THRESHOLD / 1024);
	for (i = 0; i < doc->nvmas; i++) {
		const struct vmi_vma *v = &doc->vmas[i];

		if (strcmp(v->kind, "anon-private") || v->end - v->start < MMAP_THRESHOLD)
			continue;
		human_size(v->end - v->start, s, sizeof(s));
		fprintf(f, "  %012lx-%012lx %7s %s present %lld/%lu\n", v->start, v->end, s,
			v->perms, v->present, (v->end - v->start) / page_size());
		nmm++;
	}
	if (!nmm)
		fprintf(f, "  (none)\n");
}

void render_pages(FILE *f, const struct pm_doc *pm, const struct render_opts *o)
{
	char sz[16];

	(void)o;
	for (size_t i = 0; i < pm->nvmas; i++) {
		const struct pm_vma *v = &pm->vmas[i];

		human_size(v->end - v->start, sz, sizeof(sz));
		fprintf(f, "%012lx-%012lx %7s %s %s\n", v->start, v->end, sz, v->perms, v->kind);
		for (size_t j = 0; j < v->nruns; j++) {
			const struct pm_run *r = &v->runs[j];

			fprintf(f, "    %012lx-%012lx %8lu page%s %-8s %s\n", r->start, r->end,
				r->pages, r->pages == 1 ? " " : "s", pm_state_name(r->state),
				strcmp(r->flags, "-") ? r->flags : "");
		}
	}
}
