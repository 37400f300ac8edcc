/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: the parsed form of the debugfs page map (pagemap.c). */
#ifndef VMAINFO_PAGEMAP_H
#define VMAINFO_PAGEMAP_H

#include <stddef.h>
#include "vmainfo_abi.h"

/* Run states, as vmainfo_abi.h defines them: PM_NONE, PM_PRESENT, ... */
#define PM_STATE_ENUM(e, s) PM_##e = VMAINFO_PAGE_##e,
enum pm_state { VMAINFO_PAGE_STATES(PM_STATE_ENUM) };
#undef PM_STATE_ENUM

struct pm_run {
	unsigned long start, end, pages;
	int state;			/* enum pm_state */
	char flags[64];		/* "dirty,young" or "-" */
};

struct pm_vma {
	unsigned long start, end;
	char perms[5], kind[24];
	struct pm_run *runs;
	size_t nruns, cap;
};

struct pm_doc {
	struct pm_vma *vmas;
	size_t nvmas;
};

_Static_assert(VMAINFO_PF_NAMES_MAX < sizeof(((struct pm_run *)0)->flags),
	       "every flag name fits a run's flags");

int pm_parse(const char *text, size_t len, struct pm_doc *pm);
void pm_free(struct pm_doc *pm);
const char *pm_state_name(int state);
/* The state of a name the page map prints, or -1. */
int pm_state_of(const char *name);

#endif
