// SPDX-License-Identifier: GPL-2.0
/* Parser of the debugfs page map: "vma S-E perms kind" lines, then runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int state_of(const char *s)
{
	if (!strcmp(s, "none"))
		return PM_NONE;
	if (!strcmp(s, "present"))
		return PM_PRESENT;
	if (!strcmp(s, "huge"))
		return PM_HUGE;
	if (!strcmp(s, "swap"))
		return PM_SWAP;
	return -1;
}

const char *pm_state_name(int state)
{
	static const char *const n[] = { "none", "present", "huge", "swap" };

	return state >= 0 && state <= PM_SWAP ? n[state] : "?";
}

void pm_free(struct pm_doc *pm)
{
	for (size_t i = 0; i < pm->nvmas; i++)
		free(pm->vmas[i].runs);
	free(pm->vmas);
	memset(pm, 0, sizeof(*pm));
}

int pm_parse(const char *text, size_t len, struct pm_doc *pm)
{
	const char *p = text, *end = text + len;
	size_t cap = 0;

	memset(pm, 0, sizeof(*pm));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char line[512];
		size_t n;

		if (!nl)
			break;
		n = (size_t)(nl - p);
		if (n >= sizeof(line))
			goto bad;
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		if (!strncmp(line, "vma ", 4)) {
			struct pm_vma *v;

			if (pm->nvmas == cap) {
				cap = cap ? cap * 2 : 64;
				pm->vmas = xrealloc(pm->vmas, cap * sizeof(*pm->vmas));
			}
			v = &pm->vmas[pm->nvmas];
			memset(v, 0, sizeof(*v));
			if (sscanf(line + 4, "%lx-%lx %4s %23s", &v->start, &v->end, v->perms,
				   v->kind) != 4 || v->start >= v->end)
				goto bad;
			pm->nvmas++;
		} else {
			struct pm_vma *v = pm->nvmas ? &pm->vmas[pm->nvmas - 1] : NULL;
			struct pm_run r = { 0 };
			char state[16];

			if (!v || sscanf(line, "%lx-%lx %lu %15s %63s", &r.start, &r.end, &r.pages,
					 state, r.flags) != 5 || r.start >= r.end ||
			    (r.state = state_of(state)) < 0)
				goto bad;
			if (v->nruns == v->cap) {
				v->cap = v->cap ? v->cap * 2 : 16;
				v->runs = xrealloc(v->runs, v->cap * sizeof(*v->runs));
			}
			v->runs[v->nruns++] = r;
		}
	}
	return 0;
bad:
	pm_free(pm);
	return -1;
}
