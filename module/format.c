// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the one formatter of a process's address space.
 *
 * /proc/vmainfo/<pid> and /sys/kernel/debug/vmainfo/query print the same
 * text through vmi_text_seq_ops: a header of "key: value" lines, a blank line,
 * then one line per VMA in address order.  Documentation/proc-vmainfo.rst is
 * the contract.  The view's lifecycle and locking are view.c's; what each VMA
 * is, classify.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include "classify.h"
#include "compat.h"
#include "fmt.h"
#include "vmainfo.h"

#define VMI_HEADER	((void *)1)
#define VMI_GATE	((void *)2)	/* the vsyscall gate area, after the last VMA */
#define VMI_POS_GATE	((loff_t)-2)	/* its position, as task_mmu.c's -2UL */

/* The VMA text's view: the common state, then what only its lines use. */
struct vmi_text_view {
	struct vmi_view v;
	struct vmi_pte_snap snap;	/* valid for one lock hold (snap_gen) */
	unsigned long snap_gen;		/* v.lock_gen when snap was filled */
	struct vma_iterator iter;	/* the VMA shown last, under the lock */
	unsigned long shown_end;	/* the end of the VMA shown last */
	/* VmFlags strings of recently seen vm_flags values, by hash */
#define VMI_FLAGS_CACHE_BITS 2
	struct vmi_flags_str {
		unsigned long flags;
		unsigned int len;	/* 0: slot unused */
		char str[BITS_PER_LONG * 3];
	} flags_cache[1 << VMI_FLAGS_CACHE_BITS];
};

static struct vmi_text_view *vmi_text_view(struct seq_file *m)
{
	return container_of((struct vmi_view *)m->private, struct vmi_text_view, v);
}

/* A string literal at @p (in a line buffer, no NUL); returns the end. */
#define vmi_fmt_lit(p, s) ({ memcpy(p, s, sizeof(s) - 1); (p) + sizeof(s) - 1; })

/* The VmFlags column, from the view's cache of recently seen vm_flags values. */
static char *vmi_put_flags(struct vmi_text_view *tv, char *p, unsigned long flags)
{
	struct vmi_flags_str *f = &tv->flags_cache[hash_long(flags, VMI_FLAGS_CACHE_BITS)];

	if (!f->len || f->flags != flags) {
		f->flags = flags;
		f->len = vmi_fmt_flags(f->str, flags) - f->str;
	}
	memcpy(p, f->str, f->len);
	return p + f->len;
}

/* vmi_walk's yield: does a writer wait for the lock the text view holds? */
static bool vmi_text_yield(struct vmi_walk *w)
{
	return vmi_view_writer_waits(w->priv);
}

/* The PTE snapshot is of one lock hold: forget it once another lock was taken. */
static void vmi_snap_check(struct vmi_text_view *tv)
{
	if (tv->snap_gen != tv->v.lock_gen) {
		tv->snap.pmdp = NULL;
		tv->snap_gen = tv->v.lock_gen;
	}
}

/* Restarts of one VMA's count before it is walked in one lock hold. */
#define VMI_COUNT_RESTARTS	2

/*
 * Count the pages of *@vmap for its line.  If a writer waits for our lock
 * between two PMD entries (a PTE table at most), give the lock up, take it
 * again and find the line's VMA again (the first that ends above @pos, the
 * line's position): unchanged, the walk goes on where it stopped; changed
 * (unmapped, split, merged, mprotect()ed), it is counted again from its
 * start, and after VMI_COUNT_RESTARTS such restarts in one lock hold to its
 * end, as smaps holds the lock for a whole VMA.  *@vmap is then the VMA
 * found, or NULL if none is left at or above @pos.
 */
static int vmi_count_vma(struct vmi_text_view *tv, struct vm_area_struct **vmap,
			 unsigned long pos, struct vmi_walk *w)
{
	struct vmi_view *v = &tv->v;
	struct vm_area_struct *vma = *vmap;
	unsigned long addr = vma->vm_start;
	unsigned int restarts = 0;
	struct vmi_vma_id id __uninitialized;	/* set before use */
	int err;

	vmi_walk_init(w, NULL, &v->pmd_cache);
	w->snap = &tv->snap;
	w->yield = vmi_text_yield;
	w->priv = v;
	for (;;) {
		vmi_assert_vma_stable(vma);
		vmi_snap_check(tv);
		err = vmi_walk_range(w, vma, addr, vma->vm_end);
		if (err != -EAGAIN)
			break;
		vmi_vma_id(&id, vma);
		addr = w->resume;
		err = vmi_view_let_writer_in(v);	/* 7.2: one VMA at a time */
		if (err)
			break;
		vmi_vma_iter_set(&tv->iter, pos);
		vma = vmi_view_next_vma(v, &tv->iter, pos, VMI_STAT_VMA_LOCKS);
		if (IS_ERR_OR_NULL(vma)) {
			err = PTR_ERR_OR_ZERO(vma);
			break;
		}
		if (vmi_vma_same(&id, vma))
			continue;	/* as it was: on from where we stopped */
		memset(&w->counts, 0, sizeof(w->counts));
		addr = vma->vm_start;
		if (++restarts == VMI_COUNT_RESTARTS)
			w->yield = NULL;
	}
	*vmap = vma;
	return err;
}

static int vmi_show_vma(struct seq_file *m, struct vmi_text_view *tv,
			struct vm_area_struct *vma)
{
	struct vmi_view *v = &tv->v;
	unsigned long flags;
	struct file *file;
	const char *special;
	struct vmi_vma_name name;
	unsigned long long pgoff = 0;
	unsigned long ino = 0;
	/* 64 flags of 3 characters, the other columns, a space and '\n' */
	char tmp[BITS_PER_LONG * 3 + 200] __uninitialized, *line, *p;
	unsigned int kind;
	dev_t dev = 0;
	struct vmi_walk w __uninitialized;	/* vmi_count_vma() sets it */
	int err;

	err = vmi_count_vma(tv, &vma, tv->shown_end, &w);	/* the line's position */
	vmi_stat_walk(v, &w);
	if (err) {
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
		return err;
	}
	if (!vma)
		return SEQ_SKIP;	/* gone while unlocked, and nothing above */
	vmi_assert_vma_stable(vma);
	tv->shown_end = vma->vm_end;
	flags = vma->vm_flags;
	file = vma->vm_file;
	special = vmi_special_name(vma);
	if (file) {
		const struct inode *inode = vmi_file_user_inode(file);

		dev = inode->i_sb->s_dev;
		ino = inode->i_ino;
		pgoff = ((loff_t)vma->vm_pgoff) << PAGE_SHIFT;
	}
	vmi_view_stat(v, VMI_STAT_VMAS, 1);

	/* The columns of /proc/PID/maps, then ours: flags, kind, counts. */
	line = vmi_seq_line(m, tmp, sizeof(tmp));
	p = vmi_fmt_hex(line, vma->vm_start, 8);
	*p++ = '-';
	p = vmi_fmt_hex(p, vma->vm_end, 8);
	*p++ = ' ';
	p = vmi_fmt_perms(p, flags);
	*p++ = ' ';
	p = vmi_fmt_hex(p, pgoff, 8);
	*p++ = ' ';
	p = vmi_fmt_hex(p, MAJOR(dev), 2);
	*p++ = ':';
	p = vmi_fmt_hex(p, MINOR(dev), 2);
	*p++ = ' ';
	p = vmi_fmt_dec(p, ino);
	*p++ = ' ';
	p = vmi_put_flags(tv, p, flags);
	*p++ = ' ';
	kind = vmi_vma_kind(v, vma, special);
	p = vmi_fmt_kind(p, kind);
	*p++ = ' ';
	p = vmi_fmt_dec(p, w.counts.present);
	*p++ = ' ';
	p = vmi_fmt_dec(p, w.counts.swap);
	*p++ = ' ';
	p = vmi_fmt_dec(p, w.counts.huge);
	/* ... and the name /proc/PID/maps prints, last (format 1: no anon names). */
	vmi_vma_name(vma, special, false, &name);
	if (!name.path && !name.name) {
		*p++ = '\n';
		vmi_seq_commit(m, tmp, line, p);
		return 0;
	}
	*p++ = ' ';
	vmi_seq_commit(m, tmp, line, p);
	if (name.path)
		seq_path(m, name.path, "\n");
	else
		seq_puts(m, name.name);
	seq_putc(m, '\n');
	return 0;
}

/*
 * The x86-64 vsyscall gate area, listed after the last VMA exactly when
 * /proc/PID/maps lists it (classify.c).  It is no VMA of the process: its
 * counts are 0, as smaps' (walk_page_vma() refuses a VMA without mm), and
 * the page map leaves it out, as /proc/PID/pagemap does (it ends at the
 * task size).
 */
static int vmi_show_gate(struct seq_file *m, struct vmi_text_view *tv)
{
	unsigned long flags = vmi_gate_vma_flags(tv->v.t.mm);
	char tmp[BITS_PER_LONG * 3 + 200] __uninitialized, *line, *p;

	line = vmi_seq_line(m, tmp, sizeof(tmp));
	p = vmi_fmt_hex(line, VMI_GATE_START, 8);
	*p++ = '-';
	p = vmi_fmt_hex(p, VMI_GATE_START + PAGE_SIZE, 8);
	*p++ = ' ';
	p = vmi_fmt_perms(p, flags);
	p = vmi_fmt_lit(p, " 00000000 00:00 0 ");
	p = vmi_put_flags(tv, p, flags);
	*p++ = ' ';
	p = vmi_fmt_kind(p, VMAINFO_KIND_VSYSCALL);
	p = vmi_fmt_lit(p, " 0 0 0 [vsyscall]\n");
	vmi_seq_commit(m, tmp, line, p);
	return 0;
}

/* After the last VMA: the gate area if maps lists it, else the end. */
static void *vmi_after_last(struct vmi_text_view *tv, loff_t *pos)
{
	if (vmi_gate_vma_flags(tv->v.t.mm)) {
		*pos = VMI_POS_GATE;
		return VMI_GATE;
	}
	*pos = VMI_POS_END;
	return NULL;
}

/* The first VMA that ends above *@pos, or the end; the line's position is kept. */
static void *vmi_vma_from(struct vmi_text_view *tv, loff_t *pos)
{
	struct vm_area_struct *vma;

	tv->shown_end = *pos;	/* the line's position, until it is shown */
	/* under the mmap lock, the next VMA is the iterator's (inline: per line) */
	if (tv->v.locked)
		vma = vma_next(&tv->iter);
	else
		vma = vmi_view_next_vma(&tv->v, &tv->iter, *pos, VMI_STAT_VMA_LOCKS);
	if (IS_ERR(vma)) {
		vmi_view_stat(&tv->v, VMI_STAT_ERR_INTR, 1);
		return vma;
	}
	return vma ?: vmi_after_last(tv, pos);
}

/*
 * The header's fields (and the gate area) are read under the mmap lock, as
 * task_mmu.c reads everything.  So are VMA lines, until a writer has waited for that
 * lock: from then on, on a kernel with exported per-VMA locks (compat.h),
 * this file reads VMA lines one VMA lock at a time (lock_vma_under_rcu()
 * costs a tree walk per VMA, where task_mmu.c's lock_next_vma() steps an
 * iterator; uncontended, the mmap lock is the cheaper way).  If the target
 * changes its address space (a writer took its mmap lock since the last read
 * of it, or waited for one of ours, less than a second ago: view.c,
 * vmi_view_writers_busy()), the header's table count and the lines are read
 * under VMA locks from the first one.
 */
static void *vmi_m_start(struct seq_file *m, loff_t *pos)
{
	struct vmi_text_view *tv = vmi_text_view(m);
	struct vmi_view *v = &tv->v;
	int err;

	if (*pos == VMI_POS_END || !v->have_target)
		return NULL;
	if (!v->t.mm)	/* kernel thread: the header alone */
		return *pos == 0 ? VMI_HEADER : NULL;
	if (VMI_VMA_LOCKS && *pos > 0 && v->vma_mode) {
		if (!vmi_view_pin(v, *pos))
			return NULL;
	} else if (!vmi_view_lock(v, *pos, &err)) {
		return err ? ERR_PTR(err) : NULL;
	}
	/* each read from the top: does the target change its address space? */
	if (VMI_VMA_LOCKS && *pos == 0)
		v->vma_mode = vmi_view_writers_busy(v);
	if (*pos == VMI_POS_GATE)
		return VMI_GATE;
	/* m_next steps through the maple tree from here, as task_mmu.c does */
	vma_iter_init(&tv->iter, v->t.mm, *pos);
	if (*pos == 0)
		return VMI_HEADER;
	return vmi_vma_from(tv, pos);
}

static void *vmi_m_next(struct seq_file *m, void *p, loff_t *pos)
{
	struct vmi_text_view *tv = vmi_text_view(m);

	if (p == VMI_GATE || !tv->v.t.mm) {
		*pos = VMI_POS_END;
		return NULL;
	}
	if (p == VMI_HEADER) {
		*pos = 1;	/* VMAs from the lowest address on */
		/* with per-VMA locks, only the header needed the mmap lock */
		if (VMI_VMA_LOCKS && tv->v.vma_mode)
			vmi_view_unlock_mm(&tv->v);
	} else {
		/* past the line shown; past its position if none was (SEQ_SKIP) */
		*pos = tv->shown_end == *pos ? *pos + 1 : tv->shown_end;
	}
	return vmi_vma_from(tv, pos);
}

static int vmi_m_show(struct seq_file *m, void *p)
{
	struct vmi_text_view *tv = vmi_text_view(m);

	if (p == VMI_HEADER)
		return vmi_show_header(m, &tv->v);
	if (vmi_view_yield(m, &tv->v))
		return 0;
	if (p == VMI_GATE)
		return vmi_show_gate(m, tv);
	return vmi_show_vma(m, tv, p);
}

static const struct seq_operations vmi_text_seq_ops = {
	.start	= vmi_m_start,
	.next	= vmi_m_next,
	.stop	= vmi_view_stop,
	.show	= vmi_m_show,
};

/* Open a view; with @pid the target is chosen now, else by a later select. */
int vmi_text_open(struct file *file, struct pid *pid)
{
	return PTR_ERR_OR_ZERO(vmi_view_open(file, pid, &vmi_text_seq_ops,
					     sizeof(struct vmi_text_view)));
}
