// SPDX-License-Identifier: GPL-2.0
/* Parser of the debugfs page map: "vma S-E perms kind" lines, then runs. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pagemap.h"
#include "util.h"

#define PM_STATE_NAME(e, s) [PM_##e] = s,
static const char *const state_names[] = { VMAINFO_PAGE_STATES(PM_STATE_NAME) };
#undef PM_STATE_NAME

int pm_state_of(const char *s)
{
	for (int i = 0; i < VMAINFO_PAGE_NR; i++)
		if (!strcmp(s, state_names[i]))
			return i;
	return -1;
}

const char *pm_state_name(int state)
{
	return state >= 0 && state < VMAINFO_PAGE_NR ? state_names[state] : "?";
}

void pm_free(struct pm_doc *pm)
{
	for (size_t i = 0; i < pm->nvmas; i++)
		free(pm->vmas[i].runs);
	free(pm->vmas);
	memset(pm, 0, sizeof(*pm));
}

static bool hex_tok(const char **p, const char *end, unsigned long *out)
{
	unsigned long v = 0;
	const char *s = *p;

	while (s < end && ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) {
		if (v >> 60)
			return false;
		v = v << 4 | (unsigned long)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
		s++;
	}
	if (s == *p)
		return false;
	*p = s;
	*out = v;
	return true;
}

static bool dec_tok(const char **p, const char *end, unsigned long *out)
{
	unsigned long v = 0;
	const char *s = *p;

	while (s < end && *s >= '0' && *s <= '9') {
		if (v > (~0UL - 9) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		s++;
	}
	if (s == *p)
		return false;
	*p = s;
	*out = v;
	return true;
}

/* "S-E N STATE FLAGS[ pfn:0x...]" without sscanf: 120,000 lines must be quick. */
static bool run_line(const char *p, const char *end, struct pm_run *r)
{
	const char *w;
	char state[16];
	size_t n;

	if (!hex_tok(&p, end, &r->start) || p >= end || *p++ != '-' ||
	    !hex_tok(&p, end, &r->end) || p >= end || *p++ != ' ' ||
	    !dec_tok(&p, end, &r->pages) || p >= end || *p++ != ' ')
		return false;
	for (w = p; p < end && *p != ' '; p++)
		;
	n = (size_t)(p - w);
	if (!n || n >= sizeof(state) || p >= end)
		return false;
	memcpy(state, w, n);
	state[n] = '\0';
	r->state = pm_state_of(state);
	for (w = ++p; p < end && *p != ' '; p++)
		;
	n = (size_t)(p - w);
	if (!n || n >= sizeof(r->flags))
		return false;
	memcpy(r->flags, w, n);
	r->flags[n] = '\0';
	return r->state >= 0 && r->start < r->end;
}

int pm_parse(const char *text, size_t len, struct pm_doc *pm)
{
	const char *p = text, *end = text + len;
	size_t cap = 0;

	memset(pm, 0, sizeof(*pm));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (!nl)
			break;
		n = (size_t)(nl - p);
		if (n < 4 || memcmp(p, "vma ", 4)) {
			struct pm_vma *v = pm->nvmas ? &pm->vmas[pm->nvmas - 1] : NULL;
			struct pm_run r;

			if (!v || !run_line(p, nl, &r))
				goto bad;
			if (v->nruns == v->cap) {
				v->cap = v->cap ? v->cap * 2 : 4;
				v->runs = xrealloc(v->runs, v->cap * sizeof(*v->runs));
			}
			v->runs[v->nruns++] = r;
			p = nl + 1;
			continue;
		}
		{
			const char *q = p + 4, *w;
			struct pm_vma *v;

			if (pm->nvmas == cap) {
				cap = cap ? cap * 2 : 64;
				pm->vmas = xrealloc(pm->vmas, cap * sizeof(*pm->vmas));
			}
			v = &pm->vmas[pm->nvmas];
			memset(v, 0, sizeof(*v));
			if (!hex_tok(&q, nl, &v->start) || q >= nl || *q++ != '-' ||
			    !hex_tok(&q, nl, &v->end) || v->start >= v->end || nl - q < 6 ||
			    *q++ != ' ' || q[4] != ' ')
				goto bad;
			memcpy(v->perms, q, 4);
			w = q + 5;
			if (nl - w < 1 || (size_t)(nl - w) >= sizeof(v->kind))
				goto bad;
			memcpy(v->kind, w, (size_t)(nl - w));
			pm->nvmas++;
			p = nl + 1;
		}
	}
	return 0;
bad:
	pm_free(pm);
	return -1;
}
