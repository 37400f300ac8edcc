/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: /proc/vmainfo/share, parsed and shown (share.c). */
#ifndef VMAINFO_SHARE_H
#define VMAINFO_SHARE_H

#include <stdio.h>
#include "parse.h"
#include "render.h"

#define SHARE_COLS_MAX	64

struct share_row {
	unsigned long start, end;
	char perms[8];			/* "rw-p", or "rollup" for the last line */
	long long v[SHARE_COLS_MAX];	/* kB; -1: absent ("-") */
};

struct share_doc {
	char *text;			/* the input, owned; names point into it */
	struct vmi_kv hdr[32];
	size_t nhdr;
	const char *cols[SHARE_COLS_MAX];	/* column names after range and perms */
	size_t ncols;
	struct share_row *rows;		/* VMA lines, then the rollup */
	size_t nrows;
};

/* Parse (and own) @text; returns 0 or -1 with a reason in @err. */
int share_parse(char *text, size_t len, struct share_doc *sd, char *err, size_t errlen);
void share_free(struct share_doc *sd);
/* The text view; @doc (the process's VMA text, may be NULL) gives kinds and paths. */
void render_share(FILE *f, const struct share_doc *sd, const struct vmi_doc *doc,
		  const struct render_opts *o);
void json_share(FILE *f, const struct share_doc *sd, const struct vmi_doc *doc);

#endif
