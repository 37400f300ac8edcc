/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own files of a process, the oracles of the checks: one parser
 * each for /proc/PID/maps, /proc/PID/stat and /proc/PID/status.
 */
#ifndef PROCFS_H
#define PROCFS_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"
#include "wl.h"

/* A file's whole text (NUL-terminated), or NULL if it cannot be opened or read. */
static inline char *proc_read(const char *path, size_t *len)
{
	char *buf;
	size_t n;
	int fd = open(path, O_RDONLY), err;

	if (fd < 0)
		return NULL;
	err = read_all(fd, &buf, &n);
	close(fd);
	if (err)
		return NULL;
	if (len)
		*len = n;
	return buf;
}

/* One line of /proc/PID/maps. */
struct maps_line {
	unsigned long start, end;
	char perms[5];
	unsigned long long off;
	unsigned int maj, min;
	unsigned long ino;
	int prefix;		/* bytes up to the end of the inode column; -1: unparsable */
	const char *line;	/* the whole line (NUL-terminated, in maps.text) */
	const char *name;	/* the name column after its padding, "" when none */
};

struct maps {
	char *text;
	struct maps_line *v;
	size_t n;
};

static inline void maps_parse_line(const char *line, struct maps_line *l)
{
	const char *p;
	int n = 0;

	memset(l, 0, sizeof(*l));
	l->line = line;
	l->name = "";
	l->prefix = -1;
	if (sscanf(line, "%lx-%lx %4s %llx %x:%x %lu%n", &l->start, &l->end, l->perms, &l->off,
		   &l->maj, &l->min, &l->ino, &n) != 7)
		return;
	for (p = line + n; *p == ' '; p++)
		;
	l->prefix = n;
	l->name = p;
}

/* /proc/PID/maps, every line (an unparsable one has prefix -1); dies if unreadable. */
static inline void maps_read(long pid, struct maps *m)
{
	char path[64], *line, *save = NULL;
	size_t cap = 0;

	snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
	m->text = proc_read(path, NULL);
	if (!m->text)
		die("read %s", path);
	m->v = NULL;
	m->n = 0;
	for (line = strtok_r(m->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (m->n == cap)
			m->v = xrealloc(m->v, (cap = cap ? cap * 2 : 64) * sizeof(*m->v));
		maps_parse_line(line, &m->v[m->n++]);
	}
}

static inline void maps_free(struct maps *m)
{
	free(m->text);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* /proc/PID/stat: the state (field 3) and numeric fields 4..52, numbered as in proc(5). */
#define STAT_FIELDS	53
struct proc_stat {
	char state;
	unsigned long f[STAT_FIELDS];
};

/* 0, or -1 if @path cannot be read or is not a stat line. */
static inline int stat_read_path(const char *path, struct proc_stat *st)
{
	char *t = proc_read(path, NULL), *p;
	int f;

	memset(st, 0, sizeof(*st));
	p = t ? strrchr(t, ')') : NULL;	/* comm may hold spaces and ')' */
	if (!p || strlen(p) < 4) {
		free(t);
		return -1;
	}
	st->state = p[2];
	p += 4;			/* ") S " */
	for (f = 4; f < STAT_FIELDS && *p; f++) {
		st->f[f] = strtoul(p, &p, 10);
		if (*p == ' ')
			p++;
	}
	free(t);
	return 0;
}

static inline void stat_read(long pid, struct proc_stat *st)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (stat_read_path(path, st))
		die("read %s", path);
}

/* /proc/PID/status, as text for status_kb(); dies if unreadable. */
static inline char *status_read(long pid)
{
	char path[64], *t;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	t = proc_read(path, NULL);
	if (!t)
		die("read %s", path);
	return t;
}

/* The number after "Key:" in a status text (kB for the Vm* and Rss* keys), or -1. */
static inline long status_kb(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	if (!p)
		return -1;
	return strtol(p + strlen(key), NULL, 10);
}

#endif
