// SPDX-License-Identifier: GPL-2.0
/* The human views: a summary line, then the VMAs with sizes, kinds and residency. */
#include <limits.h>
#include <stdlib.h>
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
static char *density(char *p, const struct pm_vma *v, int w)
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
			*p++ = '.';
		else if (have >= ce - cs)
			*p++ = '#';
		else
			*p++ = levels[1 + (int)(have * 5 / (ce - cs))];
	}
	return p;
}

/* Without the page map (not root): a bar in proportion to present/total pages. */
static char *bar(char *p, long long present, unsigned long total, int w)
{
	int fill, i;

	if (present < 0 || !total)
		return put_pad(p, "", 0, w, false);
	fill = (int)((present * w + (long long)total - 1) / (long long)total);
	if (fill > w)
		fill = w;
	for (i = 0; i < w; i++)
		*p++ = i < fill ? '#' : '.';
	return p;
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
/* Bytes of a table line (and a gap line before it) beside its kind and path. */
#define LINE_MAX_FIXED	320

/* The summary line and the column names. */
static void render_head(FILE *f, const struct vmi_doc *doc, unsigned long vsz,
			unsigned long long rss, size_t nvmas)
{
	unsigned long start_brk = 0, brk = 0, pgt = 0;
	char s1[16], s2[16], s3[16], s4[16];

	vmi_hdr_ul(doc, "start_brk", &start_brk);
	vmi_hdr_ul(doc, "brk", &brk);
	vmi_hdr_ul(doc, "pgtables_bytes", &pgt);
	human_size(vsz, s1, sizeof(s1));
	human_size(rss, s2, sizeof(s2));
	human_size(brk - start_brk, s3, sizeof(s3));
	human_size(pgt, s4, sizeof(s4));
	fprintf(f, "%s (pid %s)  VSZ %s  RSS %s  %zu VMAs  heap 0x%lx-0x%lx (%s, %s)  page tables %s\n",
		vmi_hdr(doc, "comm"), vmi_hdr(doc, "pid"), s1, s2, nvmas,
		start_brk, brk, s3, vmi_hdr(doc, "heap_layout") ?: "?", s4);
	fprintf(f, "%-12s %-12s %7s %4s %-12s %7s %13s %-12s %s\n", "START", "END", "SIZE",
		"PERM", "KIND", "RSS", "PRESENT/PAGES", "DENSITY", "PATH");
}

/* A gap line, if the VMA before (@prev_end, not @first) ends far below @v. */
static char *put_gap(char *p, const struct vmi_vma *v, bool first, unsigned long prev_end,
		     const struct render_opts *o)
{
	char sz[16];

	if (first || v->start - prev_end < GAP_SHOWN)
		return p;
	human_size(v->start - prev_end, sz, sizeof(sz));
	if (o->color)
		p = put_lit(p, C_DIM);
	p = put_pad(p, "", 0, 12, true);
	*p++ = ' ';
	p = put_pad(p, "", 0, 12, true);
	*p++ = ' ';
	p = put_pad(p, sz, strlen(sz), 7, false);
	p = put_lit(p, "  ... unmapped gap ...");
	if (o->color)
		p = put_lit(p, C_RESET);
	*p++ = '\n';
	return p;
}

/* human_size() of @bytes into @out (16 bytes): its length. */
static size_t human(unsigned long long bytes, char *out)
{
	size_t n = human_whole(bytes, out);

	if (n)
		return n;
	human_size(bytes, out, 16);
	return str_len(out);
}

/* A table line up to its size: a gap line before it if there is a gap, colour, range. */
static char *put_vma_head(char *p, const struct vmi_vma *v, bool first, unsigned long prev_end,
			  const struct render_opts *o, const char *color)
{
	p = put_gap(p, v, first, prev_end, o);
	p = put_str(p, color);
	p = put_hex(p, v->start, 12);
	*p++ = ' ';
	p = put_hex(p, v->end, 12);
	*p++ = ' ';
	return p;
}

/*
 * The rest of the line, @pathn bytes of its path; @kindn: the length of its
 * kind, @ps the page size.  Of the range, only its size.
 */
static char *put_vma_tail(char *p, const struct vmi_vma *v, const struct pm_vma *pv,
			  const struct render_opts *o, const char *color, size_t kindn,
			  size_t pathn, unsigned long ps)
{
	unsigned long pages = (v->end - v->start) / ps;
	char sz[16], rs[16], pp[48], *q;
	size_t szn, rsn;

	szn = human(v->end - v->start, sz);
	rsn = human(v->present > 0 ? (unsigned long long)v->present * ps : 0, rs);
	/* "%lld/%lu", written backwards */
	q = pp + sizeof(pp);
	do {
		*--q = (char)('0' + pages % 10);
		pages /= 10;
	} while (pages);
	*--q = '/';
	if (v->present < 0) {
		*--q = '1';
		*--q = '-';
	} else {
		unsigned long long n = (unsigned long long)v->present;

		do {
			*--q = (char)('0' + n % 10);
			n /= 10;
		} while (n);
	}
	p = put_pad(p, sz, szn, 7, false);
	*p++ = ' ';
	memcpy(p, v->perms, 4);		/* "%4s" of the parser's 4 characters */
	p += 4;
	*p++ = ' ';
	p = put_pad(p, v->kind, kindn, 12, true);
	*p++ = ' ';
	p = put_pad(p, rs, rsn, 7, false);
	*p++ = ' ';
	p = put_pad(p, q, (size_t)(pp + sizeof(pp) - q), 13, false);
	*p++ = ' ';
	if (pv)
		p = density(p, pv, DENSITY_COLS);
	else
		p = bar(p, v->present, (v->end - v->start) / ps, DENSITY_COLS);
	*p++ = ' ';
	if (pathn > 64) {
		memcpy(p, v->path, pathn);
		p += pathn;
	} else {
		p = put_n(p, v->path, pathn);
	}
	if (o->color && *color)
		p = put_lit(p, C_RESET);
	*p++ = '\n';
	return p;
}

static int path_width(const struct render_opts *o)
{
	return o->width - PATH_OFFSET < PATH_MIN ? PATH_MIN : o->width - PATH_OFFSET;
}

/*
 * The default view of a text read a VMA at a time: each VMA kept as 16 bytes
 * (its start, size, attributes) for the summary line that comes first; the
 * attributes (perms, kind, path, residency) once for each suffix of the
 * reader's memo (parse.h), which 60,000 VMAs may share.
 */
struct render_row {
	unsigned long start;
	unsigned int pages;	/* 0: not whole pages or too many: its end in rr->wide */
	unsigned int attr;	/* in rr->attrs */
};

struct row_attr {
	long long present;
	unsigned int kind, path;	/* in rr->kinds, at rr->paths + path */
	char perms[4];
};

/*
 * What a table line after its range was, for lines the same but for their
 * range (render_rows(): its rows without page map, by size and attributes).
 */
#define LINE_MEMO	4
struct line_memo {
	unsigned long size;
	unsigned int attr;
	bool used;
	char *tail;
	size_t len, cap;
};

struct line_memos {
	struct line_memo m[LINE_MEMO];
	unsigned int next;
};

/*
 * A table line of @v into @ob; @pathw: the PATH column's width.  @lm (may be
 * NULL): the memo, for a row of render_rows() (@row: its attributes).
 */
static void render_vma(struct obuf *ob, const struct vmi_vma *v, bool first, unsigned long prev_end,
		       const struct pm_doc *pm, const struct render_opts *o, int pathw,
		       struct line_memos *lm, const struct render_row *row)
{
	const struct pm_vma *pv = pm_find(pm, v->start);
	const char *color = kind_color(o, v->kind);
	unsigned long ps, size = v->end - v->start;
	size_t kindn, pathn = 0, max;
	struct line_memo *m = NULL;
	char *tmp, *w, *tail;

	if (lm && !pv) {
		for (unsigned int i = 0; i < LINE_MEMO; i++) {
			m = &lm->m[i];
			if (m->used && m->size == size && m->attr == row->attr &&
			    m->len + LINE_MAX_FIXED <= ob->cap)
				break;
			m = NULL;
		}
		if (m) {
			w = ob_reserve(ob, LINE_MAX_FIXED + m->len);
			w = put_vma_head(w, v, first, prev_end, o, color);
			memcpy(w, m->tail, m->len);
			ob_commit(ob, w + m->len);
			return;
		}
	}
	ps = page_size();
	kindn = str_len(v->kind);
	while (pathn < (size_t)pathw && v->path[pathn]) {	/* strnlen() */
		pathn++;
		NOT_A_CALL(pathn);
	}
	max = LINE_MAX_FIXED + kindn + pathn;
	if (max > ob->cap) {
		tmp = xmalloc(max);	/* a kind or path longer than the buffer */
		w = put_vma_head(tmp, v, first, prev_end, o, color);
		w = put_vma_tail(w, v, pv, o, color, kindn, pathn, ps);
		ob_put(ob, tmp, (size_t)(w - tmp));
		free(tmp);
		return;
	}
	w = put_vma_head(ob_reserve(ob, max), v, first, prev_end, o, color);
	tail = w;
	w = put_vma_tail(w, v, pv, o, color, kindn, pathn, ps);
	ob_commit(ob, w);
	if (lm && !pv) {
		m = &lm->m[lm->next++ % LINE_MEMO];
		if (m->cap < (size_t)(w - tail)) {
			m->cap = 2 * (size_t)(w - tail);
			m->tail = xrealloc(m->tail, m->cap);
		}
		m->len = (size_t)(w - tail);
		memcpy(m->tail, tail, m->len);
		m->size = size;
		m->attr = row->attr;
		m->used = true;
	}
}

void render_doc(FILE *f, const struct vmi_doc *doc, const struct pm_doc *pm,
		const struct render_opts *o)
{
	static char obb[1 << 16];
	struct obuf ob = OBUF_INIT(f, obb);
	unsigned long vsz = 0;
	unsigned long long rss = 0;
	int pathw = path_width(o);
	size_t i;

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
	render_head(f, doc, vsz, rss, doc->nvmas);
	for (i = 0; i < doc->nvmas; i++)
		render_vma(&ob, &doc->vmas[i], !i, i ? doc->vmas[i - 1].end : 0, pm, o, pathw, NULL,
			   NULL);
	ob_flush(&ob);
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* @v's attributes, appended to @rr's: their index. */
static unsigned int attr_add(struct render_rows *rr, const struct vmi_vma *v)
{
	struct row_attr *a;
	size_t n;

	if (rr->nattrs == rr->acap) {
		rr->acap = rr->acap ? rr->acap * 2 : 16;
		rr->attrs = xrealloc(rr->attrs, rr->acap * sizeof(*rr->attrs));
	}
	a = &rr->attrs[rr->nattrs];
	a->present = v->present;
	memcpy(a->perms, v->perms, 4);
	/* kinds: a few, looked up from the last one used */
	if (!rr->nkinds || !str_eq(rr->kinds[rr->last_kind], v->kind)) {
		for (n = 0; n < rr->nkinds && !str_eq(rr->kinds[n], v->kind); n++)
			;
		if (n == rr->nkinds) {
			rr->kinds = xrealloc(rr->kinds, (n + 1) * sizeof(*rr->kinds));
			rr->kinds[rr->nkinds++] = xstrndup(v->kind, strlen(v->kind));
		}
		rr->last_kind = n;
	}
	a->kind = (unsigned int)rr->last_kind;
	/* paths: each once, unless not among the last few stored */
	a->path = 0;
	for (n = 0; *v->path && !a->path && n < RECENT_PATHS; n++)
		if (rr->recent_path[n] && str_eq(rr->paths + rr->recent_path[n], v->path))
			a->path = (unsigned int)rr->recent_path[n];
	if (*v->path && !a->path) {
		n = strlen(v->path) + 1;
		if (rr->plen + n > rr->pcap || !rr->plen) {
			rr->pcap = (rr->plen + n + 1) * 2;
			rr->paths = xrealloc(rr->paths, rr->pcap);
			if (!rr->plen)
				rr->paths[rr->plen++] = '\0';	/* offset 0: no path */
		}
		memcpy(rr->paths + rr->plen, v->path, n);
		rr->recent_path[rr->next_path++ % RECENT_PATHS] = rr->plen;
		a->path = (unsigned int)rr->plen;
		rr->plen += n;
	}
	return (unsigned int)rr->nattrs++;
}

void rows_add(struct render_rows *rr, const struct vmi_vma *v, unsigned int slot,
	      unsigned long id)
{
	unsigned long size = v->end - v->start;
	struct render_row *row;

	if (rr->n == rr->cap) {
		rr->cap = rr->cap ? rr->cap * 2 : 4096;
		rr->rows = xrealloc(rr->rows, rr->cap * sizeof(*rr->rows));
		rr->ps = page_size();
	}
	row = &rr->rows[rr->n++];
	row->start = v->start;
	if (size % rr->ps || size / rr->ps > UINT_MAX) {
		if (rr->nwide == rr->wcap) {
			rr->wcap = rr->wcap ? rr->wcap * 2 : 16;
			rr->wide = xrealloc(rr->wide, rr->wcap * sizeof(*rr->wide));
		}
		rr->wide[rr->nwide++] = v->end;
		row->pages = 0;
	} else {
		row->pages = (unsigned int)(size / rr->ps);
	}
	rr->vsz += size;
	if (v->present > 0)
		rr->rss += (unsigned long long)v->present * rr->ps;
	slot %= VMI_MEMO;
	if (id && rr->slot_id[slot] == id) {
		row->attr = rr->slot_attr[slot];
		return;
	}
	row->attr = attr_add(rr, v);
	rr->slot_id[slot] = id;
	rr->slot_attr[slot] = row->attr;
}

/* @rr's row @i as a VMA (perms and strings pointing into @rr); *@wide: rows' ends in rr->wide so far. */
static void row_vma(const struct render_rows *rr, size_t i, struct vmi_vma *v, size_t *wide)
{
	const struct render_row *row = &rr->rows[i];
	const struct row_attr *a = &rr->attrs[row->attr];

	v->start = row->start;
	v->end = row->pages ? row->start + row->pages * rr->ps : rr->wide[(*wide)++];
	v->present = a->present;
	memcpy(v->perms, a->perms, 4);
	v->perms[4] = '\0';
	v->kind = rr->kinds[a->kind];
	v->path = a->path ? rr->paths + a->path : (char *)"";
}

void render_rows(FILE *f, const struct vmi_doc *doc, const struct render_rows *rr,
		 const struct pm_doc *pm, const struct render_opts *o)
{
	static char obb[1 << 16];
	struct obuf ob = OBUF_INIT(f, obb);
	struct line_memos lm = { .next = 0 };
	int pathw = path_width(o);
	struct vmi_vma v = { 0 };
	unsigned long prev_end = 0;
	size_t wide = 0;

	render_head(f, doc, rr->vsz, rr->rss, rr->n);
	for (size_t i = 0; i < rr->n; i++) {
		row_vma(rr, i, &v, &wide);
		render_vma(&ob, &v, !i, prev_end, pm, o, pathw, &lm, &rr->rows[i]);
		prev_end = v.end;
	}
	ob_flush(&ob);
	for (unsigned int i = 0; i < LINE_MEMO; i++)
		free(lm.m[i].tail);
}

void rows_free(struct render_rows *rr)
{
	for (size_t i = 0; i < rr->nkinds; i++)
		free(rr->kinds[i]);
	free(rr->kinds);
	free(rr->rows);
	free(rr->attrs);
	free(rr->wide);
	free(rr->paths);
	memset(rr, 0, sizeof(*rr));
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
