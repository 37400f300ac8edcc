// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/vmainfo/share (Documentation/proc-vmainfo.rst, "Share"): "key: value"
 * lines, a blank line, the column names, one line per VMA and a last "rollup"
 * line, each "start-end perms" and a kB value per column ("-": absent).  The
 * text view shows what a learner asks first (RSS, PSS, USS, shared, and the
 * anonymous pages still shared copy-on-write) per VMA, with its kind and path
 * from the process's VMA text; JSON has every column.
 */
#include <stdlib.h>
#include <string.h>
#include "jsonout.h"
#include "share.h"
#include "util.h"

void share_free(struct share_doc *sd)
{
	free(sd->text);
	free(sd->rows);
	memset(sd, 0, sizeof(*sd));
}

static int share_fail(struct share_doc *sd, char *err, size_t errlen, size_t line,
		      const char *what)
{
	snprintf(err, errlen, "line %zu: %s", line, what);
	share_free(sd);
	return -1;
}

int share_parse(char *text, size_t len, struct share_doc *sd, char *err, size_t errlen)
{
	char *p = text, *end = text + len;
	size_t line = 0, cap = 0;
	int part = 0;		/* 0 header, 1 names, 2 rows */

	memset(sd, 0, sizeof(*sd));
	sd->text = text;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *q, *tok, *save = NULL;

		if (!nl)
			return share_fail(sd, err, errlen, line + 1, "the text ends inside a line");
		*nl = '\0';
		line++;
		if (part == 0 && !*p) {
			part = 1;
		} else if (part == 0) {
			q = strstr(p, ": ");
			if (!q || sd->nhdr == sizeof(sd->hdr) / sizeof(sd->hdr[0]))
				return share_fail(sd, err, errlen, line, "not a \"key: value\" line");
			*q = '\0';
			sd->hdr[sd->nhdr].key = p;
			sd->hdr[sd->nhdr++].value = q + 2;
		} else if (part == 1) {
			/* "range perms col..." */
			for (tok = strtok_r(p, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
				if (sd->ncols < SHARE_COLS_MAX + 2)
					sd->cols[sd->ncols++] = tok;
			if (sd->ncols < 3 || strcmp(sd->cols[0], "range") || strcmp(sd->cols[1], "perms"))
				return share_fail(sd, err, errlen, line, "not the line of column names");
			memmove(sd->cols, sd->cols + 2, (sd->ncols - 2) * sizeof(sd->cols[0]));
			sd->ncols -= 2;
			part = 2;
		} else if (*p) {
			struct share_row *r;
			size_t c = 0;

			if (sd->nrows == cap) {
				cap = cap ? cap * 2 : 256;
				sd->rows = xrealloc(sd->rows, cap * sizeof(*sd->rows));
			}
			r = &sd->rows[sd->nrows];
			tok = strtok_r(p, " ", &save);
			if (!tok || sscanf(tok, "%lx-%lx", &r->start, &r->end) != 2)
				return share_fail(sd, err, errlen, line, "no start-end");
			tok = strtok_r(NULL, " ", &save);
			if (!tok || strlen(tok) >= sizeof(r->perms))
				return share_fail(sd, err, errlen, line, "no perms");
			strcpy(r->perms, tok);
			while ((tok = strtok_r(NULL, " ", &save)) && c < sd->ncols) {
				char *e;

				r->v[c] = strcmp(tok, "-") ? strtoll(tok, &e, 10) : -1;
				if (strcmp(tok, "-") && (*e || r->v[c] < 0))
					return share_fail(sd, err, errlen, line, "not a number of kB");
				c++;
			}
			if (c != sd->ncols)
				return share_fail(sd, err, errlen, line, "fewer values than columns");
			sd->nrows++;
		}
		p = nl + 1;
	}
	if (part != 2 || !sd->nrows || strcmp(sd->rows[sd->nrows - 1].perms, "rollup"))
		return share_fail(sd, err, errlen, line, "no rollup line at the end");
	return 0;
}

/* A column's value in kB (-1: absent or unknown column). */
static long long col(const struct share_doc *sd, const struct share_row *r, const char *name)
{
	for (size_t c = 0; c < sd->ncols; c++)
		if (!strcmp(sd->cols[c], name))
			return r->v[c];
	return -1;
}

static long long sum2(const struct share_doc *sd, const struct share_row *r, const char *a,
		      const char *b)
{
	long long x = col(sd, r, a), y = col(sd, r, b);

	return x < 0 || y < 0 ? -1 : x + y;
}

/* The process's VMA with this start, for its kind and path. */
static const struct vmi_vma *vma_at(const struct vmi_doc *doc, unsigned long start)
{
	size_t lo = 0, hi = doc ? doc->nvmas : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (doc->vmas[mid].start == start)
			return &doc->vmas[mid];
		if (doc->vmas[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void kb(char *out, size_t len, long long v)
{
	if (v < 0)
		snprintf(out, len, "-");
	else
		human_size((unsigned long long)v * 1024, out, len);
}

/* The columns of the text view, each a column of the file or a sum of two. */
static const struct { const char *title, *a, *b; } shown[] = {
	{ "RSS", "rss", NULL }, { "PSS", "pss", NULL }, { "USS", "uss", NULL },
	{ "SHARED", "shared_clean", "shared_dirty" }, { "COW-SHR", "anon_cow", NULL },
	{ "SWAP", "swap", NULL },
};
#define NSHOWN (sizeof(shown) / sizeof(shown[0]))

static void row_values(FILE *f, const struct share_doc *sd, const struct share_row *r)
{
	for (size_t i = 0; i < NSHOWN; i++) {
		char s[16];

		kb(s, sizeof(s), shown[i].b ? sum2(sd, r, shown[i].a, shown[i].b) :
			       col(sd, r, shown[i].a));
		fprintf(f, " %7s", s);
	}
}

static const char *hdr(const struct share_doc *sd, const char *key)
{
	for (size_t i = 0; i < sd->nhdr; i++)
		if (!strcmp(sd->hdr[i].key, key))
			return sd->hdr[i].value;
	return "?";
}

/* A column of the compare view in pages, as a size. */
static void pages(char *out, size_t len, const struct share_doc *sd, const struct share_row *r,
		  const char *name)
{
	long long v = col(sd, r, name);

	if (v < 0)
		snprintf(out, len, "-");
	else
		human_size((unsigned long long)v * page_size(), out, len);
}

/* Two processes compared ("view: compare", pages): what they still share. */
static void render_compare(FILE *f, const struct share_doc *sd, const struct vmi_doc *doc,
			   const struct render_opts *o)
{
	static const char *const cols[] = { "shared", "copied", "only_first", "only_second", "zero" };
	const struct share_row *roll = &sd->rows[sd->nrows - 1];
	char v[5][16];

	for (size_t i = 0; i < 5; i++)
		pages(v[i], sizeof(v[i]), sd, roll, cols[i]);
	fprintf(f, "%s (pid %s) and %s (pid %s): %s still shared (the same frames), %s copied\n",
		hdr(sd, "comm"), hdr(sd, "pid"), hdr(sd, "comm2"), hdr(sd, "pid2"), v[0], v[1]);
	fprintf(f, "  mapped only by %s: %s, only by %s: %s; both on the zero page: %s\n",
		hdr(sd, "pid"), v[2], hdr(sd, "pid2"), v[3], v[4]);
	fprintf(f, "  (after a fork, anonymous memory is shared until one of them writes it:\n"
		   "  then the writer gets its own copy of the page)\n");
	fprintf(f, "%-12s %-12s %4s %-12s %7s %7s %7s %7s %7s PATH\n", "START", "END", "PERM",
		"KIND", "SHARED", "COPIED", "ONLY-1", "ONLY-2", "ZERO");
	for (size_t i = 0; i < sd->nrows; i++) {
		const struct share_row *r = &sd->rows[i];
		const struct vmi_vma *vm = vma_at(doc, r->start);
		bool total = i + 1 == sd->nrows;

		for (size_t c = 0; c < 5; c++)
			pages(v[c], sizeof(v[c]), sd, r, cols[c]);
		if (total)
			fprintf(f, "%-12s %-12s %4s %-12s", "total", "", "", "");
		else
			fprintf(f, "%012lx %012lx %4s %-12s", r->start, r->end, r->perms,
				vm ? vm->kind : "?");
		fprintf(f, " %7s %7s %7s %7s %7s", v[0], v[1], v[2], v[3], v[4]);
		if (!total)
			fprintf(f, " %.*s", o->width > 60 ? o->width - 60 : 20, vm ? vm->path : "");
		fputc('\n', f);
	}
}

void render_share(FILE *f, const struct share_doc *sd, const struct vmi_doc *doc,
		  const struct render_opts *o)
{
	if (!strcmp(hdr(sd, "view"), "compare")) {
		render_compare(f, sd, doc, o);
		return;
	}

	const struct share_row *roll = &sd->rows[sd->nrows - 1];
	char rss[16], pss[16], uss[16], shr[16], cow[16];
	const char *pid = hdr(sd, "pid"), *comm = hdr(sd, "comm");

	kb(rss, sizeof(rss), col(sd, roll, "rss"));
	kb(pss, sizeof(pss), col(sd, roll, "pss"));
	kb(uss, sizeof(uss), col(sd, roll, "uss"));
	kb(shr, sizeof(shr), sum2(sd, roll, "shared_clean", "shared_dirty"));
	kb(cow, sizeof(cow), col(sd, roll, "anon_cow"));
	fprintf(f, "%s (pid %s)  RSS %s  PSS %s  USS %s  shared %s  of it copy-on-write %s\n",
		comm, pid, rss, pss, uss, shr, cow);
	fprintf(f, "  PSS: each page divided among the processes that map it; USS: pages only\n"
		   "  this process maps; COW-SHR: anonymous pages still shared since a fork,\n"
		   "  copied on the first write (kB columns in /proc/vmainfo/share)\n");
	fprintf(f, "%-12s %-12s %4s %-12s", "START", "END", "PERM", "KIND");
	for (size_t i = 0; i < NSHOWN; i++)
		fprintf(f, " %7s", shown[i].title);
	fprintf(f, " PATH\n");
	for (size_t i = 0; i + 1 < sd->nrows; i++) {
		const struct share_row *r = &sd->rows[i];
		const struct vmi_vma *v = vma_at(doc, r->start);

		fprintf(f, "%012lx %012lx %4s %-12s", r->start, r->end, r->perms,
			v ? v->kind : "?");
		row_values(f, sd, r);
		fprintf(f, " %.*s\n", o->width > 60 ? o->width - 60 : 20, v ? v->path : "");
	}
	fprintf(f, "%-12s %-12s %4s %-12s", "total", "", "", "");
	row_values(f, sd, roll);
	fputc('\n', f);
}

static void json_row(FILE *f, const struct share_doc *sd, const struct share_row *r,
		     const struct vmi_vma *v, bool rollup)
{
	fprintf(f, "{\"start\":\"0x%lx\",\"end\":\"0x%lx\"", r->start, r->end);
	if (!rollup) {
		fprintf(f, ",\"perms\":\"%s\",\"kind\":", r->perms);
		json_str(f, v ? v->kind : "");
		fputs(",\"path\":", f);
		json_str(f, v ? v->path : "");
	}
	for (size_t c = 0; c < sd->ncols; c++) {
		fputc(',', f);
		json_str(f, sd->cols[c]);
		if (r->v[c] < 0)
			fputs(":null", f);
		else
			fprintf(f, ":%lld", r->v[c]);
	}
	fputc('}', f);
}

void json_share(FILE *f, const struct share_doc *sd, const struct vmi_doc *doc)
{
	fputs("{\"mm\":{", f);
	for (size_t i = 0; i < sd->nhdr; i++) {
		fputs(i ? "," : "", f);
		const char *v = sd->hdr[i].value;

		json_str(f, sd->hdr[i].key);
		fputc(':', f);
		if (*v && strspn(v, "0123456789") == strlen(v) && strlen(v) < 19)
			fputs(v, f);	/* pid, format */
		else
			json_str(f, v);
	}
	fputs("},\"unit\":\"kB\",\"vmas\":[", f);
	for (size_t i = 0; i + 1 < sd->nrows; i++) {
		fputs(i ? "," : "", f);
		json_row(f, sd, &sd->rows[i], vma_at(doc, sd->rows[i].start), false);
	}
	fputs("],\"rollup\":", f);
	json_row(f, sd, &sd->rows[sd->nrows - 1], NULL, true);
	fputs("}\n", f);
}
