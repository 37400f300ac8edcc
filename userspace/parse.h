/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: the parsed form of /proc/vmainfo/<pid> (parse.c). */
#ifndef VMAINFO_PARSE_H
#define VMAINFO_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct vmi_kv {
	char *key;
	char *value;
};

struct vmi_vma {
	unsigned long start, end;
	char perms[5];
	unsigned long long pgoff;
	unsigned int dev_major, dev_minor;
	unsigned long inode;
	char *flags;		/* "rd,wr,mr" or "-" */
	char *kind;
	long long present, swap, huge;	/* pages; -1 when not given */
	char *path;		/* "" when none */
};

struct vmi_doc {
	char *text;		/* our copy of the input; VMA strings point into it */
	struct vmi_kv *hdr;
	size_t nhdr;
	struct vmi_vma *vmas;
	size_t nvmas;
	bool kthread;
	bool truncated;		/* input ended inside a line */
};

/*
 * The text read a line at a time (parse.c): from a file descriptor through a
 * buffer of a fixed size (a 60,000-VMA text is never held whole), or from
 * memory.  vmi_parse_owned() reads with it too, so both take the same lines
 * the same way.
 */
#define VMI_MEMO	4	/* line suffixes the reader remembers (parse.c) */

struct vmi_memo {
	char *raw, *parsed;	/* a VMA line after "start-end ", as read; parsed */
	size_t len, cap;
	struct vmi_vma v;	/* its fields; strings in @parsed */
	unsigned long id;	/* which suffix it is (0: none yet) */
};

struct vmi_reader {
	int fd;			/* the source; -1: @src, or the text in place */
	const char *src;	/* memory copied in pieces of @chunk bytes (tests) */
	size_t src_left, chunk;
	char *buf;		/* lines are NUL-terminated in place here */
	size_t cap, pos, len;	/* unread: buf[pos, len) */
	size_t lineno;		/* of the line last returned */
	size_t total;		/* bytes read so far */
	bool eof, owned;	/* @buf is ours to free */
	int read_err;		/* errno of a failed read(), else 0 */
	size_t line_len;	/* of the VMA line last returned */
	/*
	 * With @memo (set by the caller), the VMAs returned point into the
	 * memo, @line_slot (< VMI_MEMO) and @line_id say which suffix the
	 * line had: a line with the @line_id of one before differs from it
	 * only in its range.  Not for vmi_parse_owned(), whose strings live on.
	 */
	bool memo;
	unsigned int line_slot, memo_next;
	unsigned long line_id, memo_ids;
	struct vmi_memo memo_slot[VMI_MEMO];
	char *memo_tmp;
	size_t memo_tmp_cap;
};

void vmi_reader_fd(struct vmi_reader *rd, int fd, size_t chunk);
void vmi_reader_mem(struct vmi_reader *rd, const char *text, size_t len, size_t chunk);
void vmi_reader_free(struct vmi_reader *rd);
/*
 * The header lines into @doc (hdr, nhdr; truncated if the input ends inside
 * them).  0, or -1 with the reason in @err (rd->read_err set for a failed read).
 */
int vmi_read_header(struct vmi_reader *rd, struct vmi_doc *doc, char *err, size_t errlen);
/*
 * The next VMA line into *@v, its strings in the reader's buffer until the next
 * call: 1; 0 at the end of the input (doc->truncated if it ends inside a line);
 * -1 with the reason in @err.
 */
int vmi_read_vma(struct vmi_reader *rd, struct vmi_doc *doc, struct vmi_vma *v, char *err,
		 size_t errlen);
/* The header has pid and format (and sets doc->kthread): 0, else -1 with the reason. */
int vmi_check_header(struct vmi_doc *doc, char *err, size_t errlen);

int vmi_parse(const char *text, size_t len, struct vmi_doc *doc, char *err, size_t errlen);
int vmi_parse_owned(char *text, size_t len, struct vmi_doc *doc, char *err, size_t errlen);
void vmi_doc_free(struct vmi_doc *doc);
const char *vmi_hdr(const struct vmi_doc *doc, const char *key);
bool vmi_hdr_ul(const struct vmi_doc *doc, const char *key, unsigned long *out);
int vmi_parse_vma_line(char *line, size_t len, struct vmi_vma *v);
void vmi_vma_free(struct vmi_vma *v);

#endif
