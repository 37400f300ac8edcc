/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: the human views (render.c). */
#ifndef VMAINFO_RENDER_H
#define VMAINFO_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include "pagemap.h"
#include "parse.h"

struct render_opts {
	bool color;
	int width;
};

void render_doc(FILE *f, const struct vmi_doc *doc, const struct pm_doc *pm,
		const struct render_opts *o);
/*
 * The default view of a text read a VMA at a time (render.c): rows_add() each
 * VMA as it is read, then render_rows() with the doc's header.
 */
struct render_row;
struct row_attr;
struct render_rows {
	struct render_row *rows;
	size_t n, cap;
	struct row_attr *attrs;	/* perms, kind, path, residency */
	size_t nattrs, acap;
	unsigned long *wide;	/* ends of the rows whose size is not in pages */
	size_t nwide, wcap;
	unsigned long slot_id[VMI_MEMO];	/* the reader's memo: its attributes */
	unsigned int slot_attr[VMI_MEMO];
	char **kinds;		/* each kind once */
	size_t nkinds, last_kind;
	char *paths;		/* paths, NUL-terminated (offset 0: none) */
	size_t plen, pcap;
#define RECENT_PATHS	4
	size_t recent_path[RECENT_PATHS];	/* offsets of the last stored, looked up first */
	unsigned int next_path;
	unsigned long ps;	/* page size */
	unsigned long vsz;	/* sums for the summary line */
	unsigned long long rss;
};

/* @v as the reader returned it: @slot and @id its line's in the memo (0: none). */
void rows_add(struct render_rows *rr, const struct vmi_vma *v, unsigned int slot,
	      unsigned long id);
void render_rows(FILE *f, const struct vmi_doc *doc, const struct render_rows *rr,
		 const struct pm_doc *pm, const struct render_opts *o);
void rows_free(struct render_rows *rr);
void render_heap(FILE *f, const struct vmi_doc *doc, const struct pm_doc *pm,
		 const struct render_opts *o);
void render_pages(FILE *f, const struct pm_doc *pm, const struct render_opts *o);

#endif
