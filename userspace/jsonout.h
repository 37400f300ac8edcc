/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: JSON output (json.c; schema in Documentation/vmainfo.1.rst). */
#ifndef VMAINFO_JSONOUT_H
#define VMAINFO_JSONOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "pagemap.h"
#include "parse.h"
#include "util.h"
#include "vmainfo_abi.h"

/* The value type of a header key (vmainfo_abi.h), or -1 for a key it lacks. */
int vmi_key_type(const char *key);
void json_str(FILE *f, const char *s);
void json_str_n(FILE *f, const char *s, size_t n);
void ob_json_str(struct obuf *o, const char *s, size_t n);
int json_doc(FILE *f, const struct vmi_doc *doc);
/*
 * json_doc() in pieces, for a text read a VMA at a time: the header (-1 if a
 * value is not of its key's type), each VMA into @o (@strs: at least the
 * bytes of its path, kind and flags; @comma: not the first), the end.
 */
int json_doc_head(FILE *f, const struct vmi_doc *doc);
/* What json_vma() wrote after the range, for the reader's memo (parse.h). */
struct json_memo {
	char *tail[VMI_MEMO];
	size_t len[VMI_MEMO], cap[VMI_MEMO];
	unsigned long id[VMI_MEMO];
};
/* @m: NULL, or the memo for a reader's line of @id in @slot. */
void json_vma(struct obuf *o, const struct vmi_vma *v, size_t strs, bool comma,
	      struct json_memo *m, unsigned int slot, unsigned long id);
void json_memo_free(struct json_memo *m);
void json_doc_tail(FILE *f, bool truncated);
void json_pages(FILE *f, const struct pm_doc *pm);
void json_table(FILE *f, const char *text);

#endif
