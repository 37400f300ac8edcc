// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the page map, /sys/kernel/debug/vmainfo/pagemap.
 *
 * For the selected process and range, one line per VMA followed by
 * run-length-encoded runs of page state, from the one walker in walk.c:
 *
 *   vma 7f3a1c000000-7f3a1c400000 rw-p anon-private
 *   7f3a1c000000-7f3a1c001000 1 present dirty,young,write
 *   7f3a1c001000-7f3a1c400000 1023 none -
 *
 * Runs carry "pfn:0x..." (the first frame of a frame-contiguous run) only when
 * the selection asked for them with "pfn", which needs CAP_SYS_ADMIN, as
 * /proc/PID/pagemap hides PFNs since 4.2.  Without it, runs are as long as
 * the page state allows.
 *
 * Like the VMA text, *pos is the address to resume from and the mmap lock is
 * held for one seq_file buffer: show() emits runs while the buffer has room,
 * then records where it stopped and m_next() resumes there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "classify.h"
#include "compat.h"
#include "fmt.h"
#include "vmainfo.h"

#define VMI_RUN_ROOM	128	/* the longest run line, with margin */
/* "S-E N state flags pfn:0xF\n": 16-digit hex, 20-digit count, longest state */
static_assert(16 + 1 + 16 + 1 + 20 + 1 + sizeof("present") + VMAINFO_PF_NAMES_MAX +
	      sizeof(" pfn:0x") + 16 + 1 <= VMI_RUN_ROOM, "a run line fits VMI_RUN_ROOM");

/* The page map's view: the common state, then the selection and its walk. */
struct vmi_pm_view {
	struct vmi_view v;
	unsigned long range_start, range_end;	/* [start, end) */
	unsigned long cur;		/* address show() starts at */
	unsigned long resume;		/* where show() stopped */
	unsigned long pm_start, pm_end;	/* the VMA of the last "vma" line */
	bool want_pfn;			/* "pfn" was asked for (and allowed) */
	struct vmi_lrun *runbuf;	/* the walker's per-table run buffer */
};

static struct vmi_pm_view *vmi_pm_view(struct vmi_view *v)
{
	return container_of(v, struct vmi_pm_view, v);
}

#define VMI_STATE_NAME(e, s) [VMI_PAGE_##e] = s,
static const char *const vmi_state_names[] = { VMAINFO_PAGE_STATES(VMI_STATE_NAME) };
#undef VMI_STATE_NAME

/* Each name with its bit; printed in the table's order (bit order). */
#define VMI_PFLAG(e, b, s) { .bit = VMI_PF_##e, .name = s },
static const struct {
	unsigned int bit;
	const char *name;
} vmi_pflags[] = { VMAINFO_PAGE_FLAGS(VMI_PFLAG) };
#undef VMI_PFLAG

static int vmi_pagemap_run(struct vmi_walk *w, unsigned long start,
			   unsigned long npages, unsigned int state,
			   unsigned int flags, unsigned long pfn)
{
	struct seq_file *m = w->priv;
	struct vmi_pm_view *v = vmi_pm_view(m->private);
	char line[VMI_RUN_ROOM], *p = line;
	const char *s;
	unsigned int i;

	/*
	 * Keep whole runs in this buffer; the rest goes to the next chunk, also
	 * when a writer waits for the mmap lock (see vmi_view_yield()).
	 */
	if (v->resume != v->cur &&
	    (!vmi_seq_room(m, VMI_RUN_ROOM) || mmap_lock_is_contended(v->v.t.mm)))
		return 1;	/* and vmi_pm_show() of the rest yields */
	p = vmi_fmt_hex(p, start, 8);
	*p++ = '-';
	p = vmi_fmt_hex(p, start + (npages << PAGE_SHIFT), 8);
	*p++ = ' ';
	p = vmi_fmt_dec(p, npages);
	*p++ = ' ';
	for (s = vmi_state_names[state]; *s;)
		*p++ = *s++;
	*p++ = ' ';
	if (!flags)
		*p++ = '-';
	for (i = 0; i < ARRAY_SIZE(vmi_pflags); i++) {
		if (!(flags & vmi_pflags[i].bit))
			continue;
		if (p[-1] != ' ')
			*p++ = ',';
		for (s = vmi_pflags[i].name; *s;)
			*p++ = *s++;
	}
	if (w->want_pfn && (state == VMI_PAGE_PRESENT || state == VMI_PAGE_HUGE)) {
		for (s = " pfn:0x"; *s;)
			*p++ = *s++;
		p = vmi_fmt_hex(p, pfn, 1);
	}
	*p++ = '\n';
	seq_write(m, line, p - line);
	v->resume = start + (npages << PAGE_SHIFT);
	return 0;
}

static void *vmi_pm_start(struct seq_file *m, loff_t *pos)
{
	struct vmi_pm_view *pv = vmi_pm_view(m->private);
	struct vmi_view *v = &pv->v;
	struct vm_area_struct *vma;
	unsigned long addr;
	int err;

	if (*pos == VMI_POS_END || !v->have_target || !v->t.mm)
		return NULL;
	/* also forgets the PMD slot remembered under an earlier lock hold */
	if (!vmi_view_lock(v, *pos, &err))
		return err ? ERR_PTR(err) : NULL;
	if (*pos == 0)
		vmi_collect_thread_sps(v);	/* for the kind of each VMA */
	addr = max_t(unsigned long, *pos, pv->range_start);
	vma = find_vma(v->t.mm, addr);
	if (!vma || vma->vm_start >= pv->range_end) {
		*pos = VMI_POS_END;
		return NULL;
	}
	pv->cur = max(addr, vma->vm_start);
	return vma;
}

static void *vmi_pm_next(struct seq_file *m, void *p, loff_t *pos)
{
	struct vmi_pm_view *v = vmi_pm_view(m->private);
	struct vm_area_struct *vma = p;
	unsigned long end = min(vma->vm_end, v->range_end);

	if (v->resume < end) {		/* the buffer filled inside this VMA */
		*pos = v->resume;
		v->cur = v->resume;
		return vma;
	}
	*pos = vma->vm_end;
	vma = find_vma(v->v.t.mm, vma->vm_end);
	if (!vma || vma->vm_start >= v->range_end) {
		*pos = VMI_POS_END;
		return NULL;
	}
	v->cur = vma->vm_start;
	return vma;
}

static int vmi_pm_show(struct seq_file *m, void *p)
{
	struct vmi_pm_view *pv = vmi_pm_view(m->private);
	struct vmi_view *v = &pv->v;
	struct vm_area_struct *vma = p;
	unsigned long start = pv->cur, end = min(vma->vm_end, pv->range_end);
	struct vmi_walk w __uninitialized;	/* vmi_walk_init() sets it */
	unsigned long pm_start = pv->pm_start, pm_end = pv->pm_end;
	int ret;

	if (vmi_view_yield(m, v))
		return 0;

	/*
	 * A "vma" line heads the runs of each VMA, and again after a chunk
	 * boundary if the VMA found at the resume address is not the one
	 * printed last (it changed while the lock was dropped).
	 */
	if (start == max(vma->vm_start, pv->range_start) ||
	    vma->vm_start != pv->pm_start || vma->vm_end != pv->pm_end) {
		char line[64], *p = line;

		p = vmi_fmt_hex(p, vma->vm_start, 8);
		*p++ = '-';
		p = vmi_fmt_hex(p, vma->vm_end, 8);
		*p++ = ' ';
		p = vmi_fmt_perms(p, vma->vm_flags);
		*p++ = ' ';
		seq_puts(m, "vma ");
		seq_write(m, line, p - line);
		seq_puts(m, vmi_kind_name(vmi_vma_kind(v, vma, vmi_special_name(vma))));
		seq_putc(m, '\n');
		pv->pm_start = vma->vm_start;
		pv->pm_end = vma->vm_end;
	}
	vmi_walk_init(&w, pv->runbuf, &v->pmd_cache);
	w.run = vmi_pagemap_run;
	w.priv = m;
	w.want_pfn = pv->want_pfn;
	pv->resume = start;
	mmap_assert_locked(v->t.mm);
	ret = vmi_walk_range(&w, vma, start, end);
	if (!ret)
		ret = vmi_walk_flush(&w);
	vmi_stat_walk(v, &w);
	if (ret < 0) {
		/*
		 * seq_file drops this record, our "vma" line with it: forget
		 * it, or a reader sharing the file would get the runs of a
		 * changed VMA under the old line.
		 */
		pv->pm_start = pm_start;
		pv->pm_end = pm_end;
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
		return ret;
	}
	if (!ret)
		pv->resume = end;	/* the whole rest of the VMA is out */
	return 0;
}

static const struct seq_operations vmi_pagemap_seq_ops = {
	.start	= vmi_pm_start,
	.next	= vmi_pm_next,
	.stop	= vmi_view_stop,
	.show	= vmi_pm_show,
};

int vmi_pagemap_open(struct inode *inode, struct file *file)
{
	struct vmi_view *v = vmi_view_open(file, NULL, &vmi_pagemap_seq_ops,
					   sizeof(struct vmi_pm_view));
	struct vmi_pm_view *pv;

	if (IS_ERR(v))
		return PTR_ERR(v);
	pv = vmi_pm_view(v);
	/* Only the page map builds runs; counts need no buffer. */
	pv->runbuf = vmi_should_fail(VMI_FAIL_RUNBUF) ? NULL :
		     kvmalloc_array(PTRS_PER_PTE, sizeof(*pv->runbuf), GFP_KERNEL);
	if (!pv->runbuf) {
		vmi_view_release(inode, file);
		return -ENOMEM;
	}
	vmi_live_inc(VMI_LIVE_BUFFERS);
	return 0;
}

int vmi_pagemap_release(struct inode *inode, struct file *file)
{
	struct vmi_pm_view *pv = vmi_pm_view(vmi_view_file(file));

	vmi_live_dec(VMI_LIVE_BUFFERS);
	kvfree(pv->runbuf);
	return vmi_view_release(inode, file);
}

/* The range [@start, @end) and frame numbers, under vmi_view_select(). */
void vmi_pagemap_set_range(struct vmi_view *v, unsigned long start,
			   unsigned long end, bool pfn)
{
	struct vmi_pm_view *pv = vmi_pm_view(v);

	pv->range_start = start;
	pv->range_end = end;
	pv->want_pfn = pfn;
}
