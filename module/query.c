// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the ioctls of /proc/vmainfo/<pid>, self and the query files.
 *
 * VMAINFO_PROCMAP_QUERY is the kernel's PROCMAP_QUERY (do_procmap_query() in
 * fs/proc/task_mmu.c, 6.11+) step for step: its checks and errors, its
 * lookup, get_vma_name() (vmi_vma_name()), on the mm the file pinned when
 * the process was chosen; the mmap lock is dropped, with mmput(), before any
 * copy_to_user() and before the build ID is read (buildid.c).  A size that
 * covers struct vmainfo_query's tail adds the text's kind and page counts.
 * The batch (VMAINFO_QUERY_BATCH) is batch.c; query.h has what they share.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "classify.h"
#include "compat.h"
#include "query.h"
#include "vmainfo.h"

int vmi_pmq_lock(struct vmi_pmq *c)
{
	struct mm_struct *mm = c->t.mm;

	if (!mm || !mmget_not_zero(mm))
		return -ESRCH;
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		return -EINTR;
	}
	c->sv.locked = true;
	c->sv.pmd_cache.pmdp = NULL;	/* nothing found under an earlier hold */
	return 0;
}

/* Unlock (unless a relock in vmi_pmq_count() failed) and unpin. */
void vmi_pmq_unlock(struct vmi_pmq *c)
{
	if (c->sv.locked)
		mmap_read_unlock(c->t.mm);
	c->sv.locked = false;
	mmput(c->t.mm);
}

/*
 * query_matching_vma(): the VMA that answers @addr, or NULL (ENOENT).  Its
 * find_vma() from each skipped VMA's end is the iterator's next VMA.
 */
struct vm_area_struct *vmi_pmq_find(struct mm_struct *mm, unsigned long addr,
				    u64 flags)
{
	VMA_ITERATOR(vmi, mm, addr);
	struct vm_area_struct *vma;

	mmap_assert_locked(mm);
	for_each_vma(vmi, vma) {
		if (vmi_pmq_match(vma, flags) &&
		    ((flags & VMAINFO_PMQ_COVERING_OR_NEXT_VMA) || vma->vm_start <= addr))
			return vma;
		if (!(flags & VMAINFO_PMQ_COVERING_OR_NEXT_VMA))
			break;
	}
	return NULL;
}

/* vmi_walk's yield: does a writer wait for the mmap lock the call holds? */
static bool vmi_pmq_yield(struct vmi_walk *w)
{
	return mmap_lock_is_contended(w->mm);
}

/*
 * The page counts of @vma, the text's walk (format.c's vmi_count_vma()).  If
 * a writer waits for the mmap lock between two PMD entries (a PTE table at
 * most), the lock is given up and taken again, and the VMA found again at its
 * start: unchanged, the walk goes on where it stopped; changed (unmapped,
 * split, merged, mprotect()ed), -EAGAIN: the caller looks the answer up
 * again, under the lock now held.  After VMI_PMQ_RESTARTS such restarts of
 * one answer its walk holds the lock to the end, as smaps holds it for a
 * whole VMA, so an answer is found in a bounded number of walks.  A fatal
 * signal ends the walk (-EINTR, checked before each PMD entry); if it came
 * while the lock was taken again, no lock is held (c->sv.locked).
 */
#define VMI_PMQ_RESTARTS	2

static int vmi_pmq_count(struct vmi_pmq *c, struct vm_area_struct *vma,
			 struct vmi_walk *w)
{
	struct mm_struct *mm = c->t.mm;
	unsigned long addr = vma->vm_start;
	struct vmi_vma_id id __uninitialized;	/* set before use */
	int err;

	vmi_walk_init(w, NULL, &c->sv.pmd_cache);
	if (c->restarts < VMI_PMQ_RESTARTS)
		w->yield = vmi_pmq_yield;
	for (;;) {
		mmap_assert_locked(mm);
		err = vmi_walk_range(w, vma, addr, vma->vm_end);
		if (err != -EAGAIN)
			return err;
		vmi_vma_id(&id, vma);
		addr = w->resume;
		err = vmi_view_relock(&c->sv);	/* the PMD cache is reset */
		if (err)
			return err;
		vma = find_vma(mm, id.start);
		if (!vma || !vmi_vma_same(&id, vma)) {
			c->restarts++;
			return -EAGAIN;
		}
	}
}

/*
 * The answer's fields, as do_procmap_query() sets them, and the tail that
 * @size covers.  Under the mmap lock, which the page counts may give up for
 * a writer (vmi_pmq_count()): -EAGAIN if @vma changed meanwhile (the lock is
 * held: look the answer up again), -EINTR on a fatal signal (the lock may be
 * gone: vmi_pmq_unlock() knows).
 */
int vmi_pmq_fill(struct vmi_pmq *c, struct vm_area_struct *vma,
		 struct vmainfo_query *q, size_t size)
{
	struct vmi_walk w __uninitialized;
	int err;

	vmi_pmq_fill_pmq(&q->pmq, vma);
	if (vmi_covers(size, kind))
		q->kind = vmi_vma_kind(&c->sv, vma, vmi_special_name(vma));
	if (vmi_covers(size, reserved))
		q->reserved = 0;
	if (vmi_covers(size, vm_flags))
		q->vm_flags = vma->vm_flags;
	if (!vmi_covers(size, present))
		return 0;
	/* the counts of the text's VMA line (format.c), from the one walker */
	err = vmi_pmq_count(c, vma, &w);
	vmi_stat_walk(&c->sv, &w);
	if (err) {
		if (err == -EINTR)
			vmi_view_stat(&c->sv, VMI_STAT_ERR_INTR, 1);
		return err;
	}
	c->restarts = 0;
	q->present = w.counts.present;
	if (vmi_covers(size, swap))
		q->swap = w.counts.swap;
	if (vmi_covers(size, huge))
		q->huge = w.counts.huge;
	return 0;
}

/* A size-versioned argument, read as do_procmap_query() reads its own. */
int vmi_pmq_arg(void *karg, size_t ksize, size_t min, void __user *uarg,
		u64 *usize)
{
	if (copy_from_user(usize, uarg, sizeof(*usize)))
		return -EFAULT;
	if (*usize > PAGE_SIZE)
		return -E2BIG;	/* "argument struct can never be that large" */
	if (*usize < min)
		return -EINVAL;
	return copy_struct_from_user(karg, ksize, uarg, *usize);
}

struct vmi_pmq *vmi_pmq_start(struct file *file, int *err)
{
	struct vmi_pmq *c = kzalloc(sizeof(*c), GFP_KERNEL);

	*err = -ENOMEM;
	if (!c)
		return NULL;
	*err = vmi_view_get_target(file, &c->t);
	if (*err) {
		kfree(c);
		return NULL;
	}
	c->sv.t.pid = c->t.pid;		/* for vmi_collect_thread_sps() */
	c->sv.t.mm = c->t.mm;		/* for vmi_view_relock(); c->t's reference */
	return c;
}

void vmi_pmq_end(struct vmi_pmq *c)
{
	vmi_stat_flush(&c->sv);
	vmi_target_put(&c->t);
	kfree(c);
}

/* do_procmap_query(), and the tail when usize covers it. */
static long vmi_pmq_single(struct file *file, void __user *uarg)
{
	struct vmainfo_query q;
	struct vmainfo_procmap_query *p = &q.pmq;
	struct vm_area_struct *vma;
	struct file *vm_file = NULL;
	const char *name = NULL;
	char *name_buf = NULL;
	u8 id[VMI_BUILD_ID_MAX];
	struct vmi_pmq *c;
	u64 usize;
	int err;

	err = vmi_pmq_arg(&q, sizeof(q), offsetofend(struct vmainfo_procmap_query, query_addr),
			  uarg, &usize);
	if (err)
		return err;
	if ((p->query_flags & ~VMAINFO_PMQ_VALID_FLAGS) ||
	    !!p->vma_name_size != !!p->vma_name_addr ||
	    !!p->build_id_size != !!p->build_id_addr)
		return -EINVAL;

	c = vmi_pmq_start(file, &err);
	if (!c)
		return err;
	err = vmi_pmq_lock(c);
	if (err)
		goto out_free;
	if (vmi_covers(usize, kind))
		vmi_collect_thread_sps(&c->sv);
	do {	/* again if the VMA changed while the counts gave the lock up */
		vma = vmi_pmq_find(c->t.mm, p->query_addr, p->query_flags);
		if (!vma) {
			err = -ENOENT;
			goto out;
		}
		err = vmi_pmq_fill(c, vma, &q, usize);
	} while (err == -EAGAIN);
	if (err)
		goto out;
	if (p->vma_name_size) {
		size_t bsz = min_t(size_t, PATH_MAX, p->vma_name_size);
		struct vmi_vma_name n;
		u32 sz = 0;

		vmi_vma_name(vma, vmi_special_name(vma), true, &n);
		if (n.path || n.name) {
			name_buf = kmalloc(bsz, GFP_KERNEL);
			if (!name_buf) {
				err = -ENOMEM;
				goto out;
			}
			err = vmi_vma_name_str(&n, name_buf, bsz, &name, &sz);
			if (err)
				goto out;
		}
		p->vma_name_size = sz;
	}
	if (p->build_id_size && vma->vm_file)
		vm_file = get_file(vma->vm_file);
	/* as the kernel: unlock and mmput before reading files and copying out */
	vmi_pmq_unlock(c);

	if (p->build_id_size) {
		u32 sz;

		err = vm_file ? vmi_build_id(vm_file, id, &sz) : -ENOENT;
		if (err) {
			p->build_id_size = 0;
		} else if (p->build_id_size < sz) {
			err = -ENAMETOOLONG;
			goto out_file;
		} else {
			p->build_id_size = sz;
		}
	}
	err = 0;
	if (p->vma_name_size &&
	    copy_to_user(u64_to_user_ptr(p->vma_name_addr), name, p->vma_name_size))
		err = -EFAULT;
	else if (p->build_id_size &&
		 copy_to_user(u64_to_user_ptr(p->build_id_addr), id, p->build_id_size))
		err = -EFAULT;
	else if (copy_to_user(uarg, &q, min_t(size_t, sizeof(q), usize)))
		err = -EFAULT;
	goto out_file;

out:
	vmi_pmq_unlock(c);
out_file:
	if (vm_file)
		fput(vm_file);
	kfree(name_buf);
out_free:
	vmi_pmq_end(c);
	return err;
}

long vmi_query_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case VMAINFO_PROCMAP_QUERY:
		return vmi_pmq_single(file, (void __user *)arg);
	case VMAINFO_QUERY_BATCH:
		return vmi_pmq_batch(file, (void __user *)arg);
	default:
		return -ENOIOCTLCMD;
	}
}
