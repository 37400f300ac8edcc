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
void render_heap(FILE *f, const struct vmi_doc *doc, const struct pm_doc *pm,
		 const struct render_opts *o);
void render_pages(FILE *f, const struct pm_doc *pm, const struct render_opts *o);

#endif
