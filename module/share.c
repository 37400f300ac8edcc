// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: what memory is really a process's: /proc/vmainfo/share and
 * /sys/kernel/debug/vmainfo/share.
 *
 * Write "PID", read one line per VMA with the values /proc/PID/smaps shows
 * for it and a last line with those of /proc/PID/smaps_rollup, as smaps.c
 * accounts them, plus USS, exclusive and copy-on-write anonymous pages and
 * zero-page mappings; write "PID rollup", read only that last line (every
 * VMA walked, none printed); write "PID1 PID2", read the two compared
 * (compare.c).
 * Documentation/proc-vmainfo.rst is the contract.  This file is the view:
 * its text, its seq_file and its files.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include "fmt.h"
#include "share.h"
#include "vmainfo.h"

#define VMI_SHARE_HEADER	((void *)1)
#define VMI_SHARE_ROLLUP	((void *)2)
#define VMI_POS_ROLLUP		((loff_t)-2)

static struct vmi_share_view *vmi_share_view(struct seq_file *m)
{
	return container_of((struct vmi_view *)m->private, struct vmi_share_view, v);
}

/* ---- the text ---- */

static const struct vmainfo_share_col_def vmi_share_cols[] = {
	VMAINFO_SHARE_COLS(VMAINFO_SHARE_COL_INIT)
};

/* Columns this module cannot give exactly, and why (the "absent" key). */
static const char vmi_share_absent[] =
	"swap_pss (needs swp_swapcount() or swap_info, not exported to modules)";

static void vmi_mss_add(struct vmi_mss *a, const struct vmi_mss *b)
{
	a->resident += b->resident;
	a->shared_clean += b->shared_clean;
	a->shared_dirty += b->shared_dirty;
	a->private_clean += b->private_clean;
	a->private_dirty += b->private_dirty;
	a->referenced += b->referenced;
	a->anonymous += b->anonymous;
	a->lazyfree += b->lazyfree;
	a->anonymous_thp += b->anonymous_thp;
	a->shmem_thp += b->shmem_thp;
	a->file_thp += b->file_thp;
	a->swap += b->swap;
	a->shared_hugetlb += b->shared_hugetlb;
	a->private_hugetlb += b->private_hugetlb;
	a->ksm += b->ksm;
	a->pss += b->pss;
	a->pss_anon += b->pss_anon;
	a->pss_file += b->pss_file;
	a->pss_shmem += b->pss_shmem;
	a->pss_dirty += b->pss_dirty;
	a->pss_locked += b->pss_locked;
	a->anon_excl += b->anon_excl;
	a->anon_cow += b->anon_cow;
	a->zero += b->zero;
}

/* Each column's value in bytes, as smaps prints it before ">> 10". */
static void vmi_share_vals(const struct vmi_mss *s, u64 *vals)
{
	const u64 v[VMAINFO_SHARE_NR] = {
		[VMAINFO_SHARE_rss]		= s->resident,
		[VMAINFO_SHARE_pss]		= s->pss >> PSS_SHIFT,
		[VMAINFO_SHARE_pss_dirty]	= s->pss_dirty >> PSS_SHIFT,
		[VMAINFO_SHARE_pss_anon]	= s->pss_anon >> PSS_SHIFT,
		[VMAINFO_SHARE_pss_file]	= s->pss_file >> PSS_SHIFT,
		[VMAINFO_SHARE_pss_shmem]	= s->pss_shmem >> PSS_SHIFT,
		[VMAINFO_SHARE_shared_clean]	= s->shared_clean,
		[VMAINFO_SHARE_shared_dirty]	= s->shared_dirty,
		[VMAINFO_SHARE_private_clean]	= s->private_clean,
		[VMAINFO_SHARE_private_dirty]	= s->private_dirty,
		[VMAINFO_SHARE_referenced]	= s->referenced,
		[VMAINFO_SHARE_anonymous]	= s->anonymous,
		[VMAINFO_SHARE_ksm]		= s->ksm,
		[VMAINFO_SHARE_lazyfree]	= s->lazyfree,
		[VMAINFO_SHARE_anon_huge]	= s->anonymous_thp,
		[VMAINFO_SHARE_shmem_pmd]	= s->shmem_thp,
		[VMAINFO_SHARE_file_pmd]	= s->file_thp,
		[VMAINFO_SHARE_shared_hugetlb]	= s->shared_hugetlb,
		[VMAINFO_SHARE_private_hugetlb]	= s->private_hugetlb,
		[VMAINFO_SHARE_swap]		= s->swap,
		[VMAINFO_SHARE_locked]		= s->pss_locked >> PSS_SHIFT,
		[VMAINFO_SHARE_uss]		= s->private_clean + s->private_dirty,
		[VMAINFO_SHARE_anon_excl]	= s->anon_excl,
		[VMAINFO_SHARE_anon_cow]	= s->anon_cow,
		[VMAINFO_SHARE_zero]		= s->zero,
	};

	memcpy(vals, v, sizeof(v));
}

/* "start-end perms" and every column, in kB, as smaps' ">> 10" */
static void vmi_share_line(struct seq_file *m, unsigned long start,
			   unsigned long end, const char *perms,
			   const struct vmi_mss *s)
{
	/* 2 x 16 hex digits, perms, and 20 digits per column */
	char tmp[40 + 8 + VMAINFO_SHARE_NR * 21 + 2] __uninitialized, *line, *p;
	u64 vals[VMAINFO_SHARE_NR];
	unsigned int c;

	vmi_share_vals(s, vals);
	line = vmi_seq_line(m, tmp, sizeof(tmp));
	p = vmi_fmt_hex(line, start, 8);
	*p++ = '-';
	p = vmi_fmt_hex(p, end, 8);
	*p++ = ' ';
	memcpy(p, perms, strlen(perms));
	p += strlen(perms);
	for (c = 0; c < VMAINFO_SHARE_NR; c++) {
		*p++ = ' ';
		if (c == VMAINFO_SHARE_swap_pss)
			*p++ = '-';	/* vmi_share_absent */
		else
			p = vmi_fmt_dec(p, vals[c] >> 10);
	}
	*p++ = '\n';
	vmi_seq_commit(m, tmp, line, p);
}

/* A new rollup: nothing counted yet (the header of a read, or the rollup view). */
static void vmi_share_rollup_reset(struct vmi_share_view *sv)
{
	memset(&sv->rollup, 0, sizeof(sv->rollup));
	sv->first_start = 0;
	sv->rolled_end = 0;
	sv->any = false;
}

static void vmi_share_header(struct seq_file *m, struct vmi_share_view *sv)
{
	unsigned int c;

	seq_put_decimal_ull(m, "pid: ", sv->v.t.tgid);
	seq_puts(m, "\ncomm: ");
	seq_escape_mem(m, sv->v.t.comm, strnlen(sv->v.t.comm, TASK_COMM_LEN),
		       ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\");
	seq_printf(m, "\nkernel: %s\n", init_utsname()->release);
	seq_put_decimal_ull(m, "format: ", VMAINFO_FORMAT_VERSION);
	seq_puts(m, sv->rollup_only ? "\nview: rollup" : "\nview: vmas");
	seq_puts(m, "\nunit: kB\nabsent: ");
	seq_puts(m, vmi_share_absent);
	seq_puts(m, "\n\nrange perms");
	for (c = 0; c < VMAINFO_SHARE_NR; c++) {
		seq_putc(m, ' ');
		seq_puts(m, vmi_share_cols[c].name);
	}
	seq_putc(m, '\n');
	vmi_share_rollup_reset(sv);
}

/*
 * One VMA line, from sv->from (the position this record was asked for) or
 * the VMA's start, whichever is higher: a VMA that grew below that position
 * while the lock was given up (brk()) is not counted twice, as
 * show_smaps_rollup()'s case 4.  If the walk gives up the lock (a writer
 * waits), it goes on where it stopped, in the VMA that holds that address
 * then; the line ends where that VMA ends (or where the walk stopped, if no
 * VMA holds it any more).
 */
static int vmi_share_show_vma(struct seq_file *m, struct vmi_share_view *sv,
			      struct vm_area_struct *vma)
{
	struct vmi_view *v = &sv->v;
	struct mm_struct *mm = v->t.mm;
	unsigned long start = max(vma->vm_start, sv->from), end, resume;
	struct vmi_mss *mss = &sv->line;
	struct vmi_share_more more = {};
	char perms[5];
	/* smap_gather_stats(): a walk from the VMA's start counts shmem swap at once */
	bool hole, first = start == vma->vm_start, relocked = false;
	int err;

	mmap_assert_locked(mm);
	/*
	 * The rollup alone (vmi_share_rollup()) adds straight to its sums; a
	 * line's are in the view, not on the stack, which the kernel's
	 * INIT_STACK_ALL_ZERO would clear on every call, in either case.
	 */
	if (sv->rollup_only)
		mss = &sv->rollup;
	else
		memset(mss, 0, sizeof(*mss));
	perms[0] = '\0';
	if (!sv->rollup_only)
		*vmi_fmt_perms(perms, vma->vm_flags) = '\0';
	resume = start;
	for (;;) {
		/* the rollup alone: the VMAs after it in its last PTE table too */
		err = vmi_share_gather(v, vma, mss, resume, &hole, first, &resume,
				       sv->rollup_only ? &more : NULL);
		first = false;
		end = vma->vm_end;
		if (err != -EAGAIN)
			break;
		err = vmi_view_relock(v);
		if (err)
			break;		/* counted below, once */
		relocked = true;
		vma = find_vma(mm, resume);
		if (!vma || vma->vm_start > resume) {
			end = resume;	/* unmapped meanwhile: what was read */
			err = 0;
			break;
		}
	}
	if (err) {
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
		return err;
	}
	vmi_view_stat(v, VMI_STAT_VMAS, 1 + more.vmas);
	if (more.vmas)
		end = more.end;
	/* the iterator is stale if the lock was dropped, or behind: from here, then */
	if (relocked || more.vmas)
		vma_iter_init(&sv->iter, mm, end);
	sv->next_pos = end;
	if (!sv->rollup_only) {
		vmi_share_line(m, start, end, perms, mss);
		/* a line that did not fit is shown again, and counted then */
		if (seq_has_overflowed(m))
			return 0;
		vmi_mss_add(&sv->rollup, mss);
	}
	if (!sv->any)
		sv->first_start = start;
	sv->any = true;
	sv->rolled_end = end;
	return 0;
}

/*
 * "PID rollup": the whole rollup in this one record, from the first VMA on
 * (so a record shown again counts nothing twice), as show_smaps_rollup()
 * walks it: between VMAs the mmap lock is given up when a writer waits, and
 * inside one VMA as vmi_share_show_vma() gives it up.
 */
static int vmi_share_rollup(struct seq_file *m, struct vmi_share_view *sv)
{
	struct vmi_view *v = &sv->v;
	struct mm_struct *mm = v->t.mm;
	struct vm_area_struct *vma;
	int err;

	mmap_assert_locked(mm);
	vmi_share_rollup_reset(sv);
	sv->next_pos = 0;
	vma_iter_init(&sv->iter, mm, 0);
	while ((vma = vma_next(&sv->iter))) {
		sv->from = sv->next_pos;
		err = vmi_share_show_vma(m, sv, vma);
		if (err)
			return err;
		if (mmap_lock_is_contended(mm)) {
			err = vmi_view_relock(v);	/* counted as vma_yields */
			if (err) {
				vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
				return err;
			}
			vma_iter_init(&sv->iter, mm, sv->next_pos);
		}
		cond_resched();
	}
	vmi_share_line(m, sv->first_start, sv->rolled_end, "rollup", &sv->rollup);
	return 0;
}

static void *vmi_share_start(struct seq_file *m, loff_t *pos)
{
	struct vmi_share_view *sv = vmi_share_view(m);
	struct vmi_view *v = &sv->v;
	struct vm_area_struct *vma;
	int err;

	if (*pos == VMI_POS_END || !v->have_target || !v->t.mm)
		return NULL;
	if (!vmi_view_lock(v, *pos, &err))
		return err ? ERR_PTR(err) : NULL;
	if (*pos == VMI_POS_ROLLUP)
		return VMI_SHARE_ROLLUP;
	vma_iter_init(&sv->iter, v->t.mm, *pos);
	if (*pos == 0)
		return VMI_SHARE_HEADER;
	sv->from = *pos;
	vma = vma_next(&sv->iter);
	if (vma)
		return vma;
	*pos = VMI_POS_ROLLUP;
	return VMI_SHARE_ROLLUP;
}

static void *vmi_share_next(struct seq_file *m, void *p, loff_t *pos)
{
	struct vmi_share_view *sv = vmi_share_view(m);
	struct vm_area_struct *vma;

	if (p == VMI_SHARE_ROLLUP) {
		*pos = VMI_POS_END;
		return NULL;
	}
	if (sv->rollup_only) {	/* the header, then the one record */
		*pos = VMI_POS_ROLLUP;
		return VMI_SHARE_ROLLUP;
	}
	*pos = p == VMI_SHARE_HEADER ? 1 : sv->next_pos;
	sv->from = *pos;
	vma = vma_next(&sv->iter);
	if (vma)
		return vma;
	*pos = VMI_POS_ROLLUP;
	return VMI_SHARE_ROLLUP;
}

static int vmi_share_show(struct seq_file *m, void *p)
{
	struct vmi_share_view *sv = vmi_share_view(m);

	if (p == VMI_SHARE_HEADER) {
		if (sv->compare)
			vmi_cmp_header(m, sv);
		else
			vmi_share_header(m, sv);
		return 0;
	}
	if (vmi_view_yield(m, &sv->v))
		return 0;
	if (sv->compare) {
		if (p != VMI_SHARE_ROLLUP)
			return vmi_cmp_show_vma(m, sv, p);
		vmi_cmp_line(m, sv->first_start, sv->rolled_end, "rollup", sv->cmp_rollup);
		return 0;
	}
	if (p == VMI_SHARE_ROLLUP && sv->rollup_only)
		return vmi_share_rollup(m, sv);
	if (p == VMI_SHARE_ROLLUP) {
		/* smaps_rollup's range: the first VMA's start, the last's end */
		vmi_share_line(m, sv->first_start, sv->rolled_end, "rollup", &sv->rollup);
		return 0;
	}
	return vmi_share_show_vma(m, sv, p);
}

static const struct seq_operations vmi_share_seq_ops = {
	.start	= vmi_share_start,
	.next	= vmi_share_next,
	.stop	= vmi_view_stop,
	.show	= vmi_share_show,
};

/* ---- the files ---- */

static int vmi_share_open(struct inode *inode, struct file *file)
{
	return PTR_ERR_OR_ZERO(vmi_view_open(file, NULL, &vmi_share_seq_ops,
					     sizeof(struct vmi_share_view)));
}

#define VMI_SHARE_WRITE_MAX	32

/*
 * "PID", "PID rollup" or "PID1 PID2" (blanks between, a newline at the end):
 * the pids in @nr, how many of them; *rollup for the keyword (one pid only).
 */
static int vmi_share_parse(char *buf, int *nr, bool *rollup)
{
	char *p = strim(buf), *tok;
	int n = 0, err;

	*rollup = false;
	while ((tok = strsep(&p, " \t")) != NULL) {
		if (!*tok)
			continue;
		if (!strcmp(tok, "rollup") && n == 1 && !*rollup) {
			*rollup = true;
			continue;
		}
		if (n == 2 || *rollup)
			return -EINVAL;
		err = kstrtoint(tok, 10, &nr[n]);
		if (err)
			return err;
		if (nr[n] <= 0)
			return -EINVAL;
		n++;
	}
	return n ? n : -EINVAL;
}

/* One process, checked and resolved as by every other file; no kernel thread. */
static int vmi_share_target(struct vmi_target *t, pid_t nr, struct file *file)
{
	int err = vmi_target_get_nr(t, nr, file);

	if (err)
		return err;
	if (!t->mm) {
		vmi_target_put(t);
		return -ENODATA;	/* kernel thread: no pages of its own */
	}
	return 0;
}

/*
 * "PID": select the process, with the access check of the other files
 * (vmi_target_get_nr(): the opener's credentials, the mount's hidepid=).
 * "PID rollup": the same, the rollup line only.
 * "PID1 PID2": compare two processes, each passing that same check; the
 * error of the first that fails is returned and nothing is selected.
 */
static ssize_t vmi_share_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct vmi_target t, t2 = {}, old2;
	struct vmi_cmp_run *runs = NULL;
	struct vmi_share_view *sv;
	char buf[VMI_SHARE_WRITE_MAX];
	int nr[2], n, err;
	bool rollup;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (memchr(buf, '\0', count))
		return -EINVAL;
	buf[count] = '\0';
	n = vmi_share_parse(buf, nr, &rollup);
	if (n < 0)
		return n;
	err = vmi_share_target(&t, nr[0], file);
	if (err)
		return err;
	if (n == 2) {
		err = vmi_share_target(&t2, nr[1], file);
		if (!err) {
			runs = kvmalloc_array(VMI_CMP_RUNS, sizeof(*runs),
					      GFP_KERNEL_ACCOUNT);
			if (!runs) {
				vmi_target_put(&t2);
				err = -ENOMEM;
			}
		}
		if (err) {
			vmi_target_put(&t);
			return err;
		}
	}
	/* excludes seq_read() on this file */
	sv = container_of(vmi_view_select(file, &t), struct vmi_share_view, v);
	old2 = sv->t2;
	sv->t2 = t2;
	sv->compare = n == 2;
	sv->rollup_only = rollup;
	if (runs && !sv->cmp.runs) {
		sv->cmp.runs = runs;	/* kept until release */
		vmi_live_inc(VMI_LIVE_BUFFERS);
		runs = NULL;
	}
	*ppos = 0;
	vmi_view_select_done(file);
	vmi_target_put(&old2);
	kvfree(runs);
	return count;
}

static int vmi_share_release(struct inode *inode, struct file *file)
{
	struct vmi_share_view *sv = container_of(vmi_view_file(file),
						 struct vmi_share_view, v);

	vmi_target_put(&sv->t2);
	if (sv->cmp.runs) {
		kvfree(sv->cmp.runs);
		vmi_live_dec(VMI_LIVE_BUFFERS);
	}
	return vmi_view_release(inode, file);
}

/* /proc/vmainfo/share: every user, as /proc/vmainfo/query */
const struct proc_ops vmi_proc_share_ops = {
	.proc_open	= vmi_share_open,
	.proc_read	= seq_read,
	.proc_write	= vmi_share_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= vmi_share_release,
};

const struct file_operations vmi_share_fops = {
	.owner		= THIS_MODULE,
	.open		= vmi_share_open,
	.read		= seq_read,
	.write		= vmi_share_write,
	.llseek		= seq_lseek,
	.release	= vmi_share_release,
};
