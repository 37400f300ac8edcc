// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the life of a view, an open file that shows one process through a
 * seq_file (the VMA text of format.c, the page map of pagemap.c, the rss
 * counters of counters.c), and the one file that touches seq_file internals.
 *
 * A view's private state embeds struct vmi_view first and is allocated at
 * open with its own size, as proc_maps_open() does for /proc/PID/maps and
 * numa_maps (fs/proc/task_mmu.c); the file that owns it reaches its part with
 * container_of().
 *
 * Locking follows /proc/PID/maps (fs/proc/task_mmu.c): the mm is pinned with
 * mmgrab() at open; each seq_file chunk does mmget_not_zero() and
 * mmap_read_lock_killable() in m_start (or, for the VMA text on 7.2 while
 * writers are busy, read-locks one VMA at a time: vmi_view_next_vma()) and
 * drops them in m_stop, and *pos is the address to resume from, so a lock is
 * held for one buffer at most, never across copy_to_user(), and addresses
 * never go backwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include "compat.h"
#include "vmainfo.h"

/*
 * Open a view of @psize bytes (a struct that embeds struct vmi_view first)
 * with @ops; with @pid the target is chosen now, else by a later
 * vmi_view_select().  Returns the view, or an ERR_PTR().
 */
struct vmi_view *vmi_view_open(struct file *file, struct pid *pid,
			       const struct seq_operations *ops, size_t psize)
{
	struct vmi_view *v;
	int err;

	if (WARN_ON_ONCE(psize < sizeof(*v)))
		return ERR_PTR(-EINVAL);
	v = vmi_should_fail(VMI_FAIL_VIEW) ? NULL : __seq_open_private(file, ops, psize);
	if (!v)
		return ERR_PTR(-ENOMEM);
	vmi_live_inc(VMI_LIVE_VIEWS);
	if (pid) {
		err = vmi_target_get(&v->t, pid);
		if (err) {
			vmi_live_dec(VMI_LIVE_VIEWS);
			seq_release_private(file_inode(file), file);
			return ERR_PTR(err);
		}
		v->have_target = true;
		vmi_live_inc(VMI_LIVE_SELECTIONS);
	}
	return v;
}

/* The view of a file opened by vmi_view_open(). */
struct vmi_view *vmi_view_file(struct file *file)
{
	struct seq_file *m = file->private_data;

	return m->private;
}

int vmi_view_release(struct inode *inode, struct file *file)
{
	struct vmi_view *v = vmi_view_file(file);

	if (v->have_target)
		vmi_live_dec(VMI_LIVE_SELECTIONS);
	vmi_target_put(&v->t);
	vmi_index_drop(v);
	vmi_live_dec(VMI_LIVE_VIEWS);
	return seq_release_private(inode, file);
}

/*
 * Make @t the target of the view open as @file (its references move to the
 * view; an earlier target is put); the next read starts at the top.  Returns
 * the view with the seq_file's lock held, which excludes seq_read() on this
 * file while the caller sets its own part of the selection;
 * vmi_view_select_done() drops it.
 */
struct vmi_view *vmi_view_select(struct file *file, struct vmi_target *t)
{
	struct seq_file *m = file->private_data;
	struct vmi_view *v = m->private;

	mutex_lock(&m->lock);		/* excludes seq_read() on this file */
	vmi_index_drop(v);		/* of the process before, if any */
	if (v->have_target)
		vmi_target_put(&v->t);
	else
		vmi_live_inc(VMI_LIVE_SELECTIONS);	/* a re-selection keeps the count */
	v->t = *t;
	v->have_target = true;
	m->index = 0;
	m->count = 0;
	m->from = 0;
	m->read_pos = 0;
	return v;
}

void vmi_view_select_done(struct file *file)
{
	struct seq_file *m = file->private_data;

	lockdep_assert_held(&m->lock);
	mutex_unlock(&m->lock);
}

/*
 * References of the caller's own to the view's target, for an operation
 * beside reads: the ioctls (query.c, batch.c).  Taken under the seq_file's lock, which
 * a query file's selection holds while it replaces (and puts) the target.
 * -EBADFD while the query file has no process selected; vmi_target_put()
 * drops them.
 */
int vmi_view_get_target(struct file *file, struct vmi_target *t)
{
	struct seq_file *m = file->private_data;
	struct vmi_view *v = m->private;
	int err = 0;

	if (mutex_lock_killable(&m->lock))
		return -EINTR;
	if (v->have_target) {
		*t = v->t;
		if (t->mm)
			mmgrab(t->mm);
		get_pid(t->pid);
	} else {
		err = -EBADFD;
	}
	mutex_unlock(&m->lock);
	return err;
}

/*
 * The common part of m_start for the VMA text and the page map: pin the
 * address space and take its lock for one seq_file chunk, as task_mmu.c does.
 * Returns false if the process is gone (EOF); *err is set if interrupted.
 */
bool vmi_view_lock(struct vmi_view *v, loff_t pos, int *err)
{
	*err = 0;
	if (!vmi_view_pin(v, pos))
		return false;	/* the process exited (or exec'd): EOF */
	if (mmap_read_lock_killable(v->t.mm)) {
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
		*err = -EINTR;
		return false;	/* vmi_view_stop() unpins */
	}
	v->locked = true;
	v->lock_gen++;
	v->pmd_cache.pmdp = NULL;	/* nothing found under an earlier hold */
	return true;
}

/*
 * Pin the address space for one chunk without locking it (mmget, as
 * task_mmu.c's m_start): the VMA text then locks one VMA at a time with
 * vmi_view_next_vma().  Returns false if the process is gone.
 */
bool vmi_view_pin(struct vmi_view *v, loff_t pos)
{
	if (!mmget_not_zero(v->t.mm))
		return false;
	v->pinned = true;
	vmi_view_stat(v, VMI_STAT_CHUNKS, 1);
	if (pos)
		vmi_view_stat(v, VMI_STAT_RESUMES, 1);
	return true;
}

/*
 * The first VMA that ends above @addr: under the mmap lock if the chunk holds
 * it (@iter is where the last one was found), else read-locked on its own,
 * the previous one unlocked (compat.h, vmi_lock_vma_from()), counted in
 * @lock_stat; when that fails, the chunk falls back to the mmap lock, as
 * /proc/PID/maps does.
 * Returns the VMA, NULL after the last, or ERR_PTR(-EINTR).
 */
struct vm_area_struct *vmi_view_next_vma(struct vmi_view *v, struct vma_iterator *iter,
					 unsigned long addr, enum vmi_stat lock_stat)
{
	struct vm_area_struct *vma;

	if (v->locked)
		return vma_next(iter);
	if (v->vma) {
		vmi_vma_unlock(v->vma);
		v->vma = NULL;
	}
	vma = vmi_lock_vma_from(v->t.mm, addr);
	if (!IS_ERR(vma)) {
		v->vma = vma;
		v->lock_gen++;
		v->pmd_cache.pmdp = NULL;	/* its slot was found under no lock of ours */
		vmi_view_stat(v, lock_stat, !!vma);
		return vma;
	}
	if (mmap_read_lock_killable(v->t.mm))
		return ERR_PTR(-EINTR);	/* the caller counts it (err_eintr) */
	v->locked = true;
	v->lock_gen++;
	v->pmd_cache.pmdp = NULL;
	vmi_view_stat(v, VMI_STAT_VMA_FALLBACKS, 1);
	vmi_vma_iter_set(iter, addr);
	return vma_next(iter);
}

/*
 * Inside one VMA's walk, a writer waits for our lock (w->yield): let it in.
 * Drops the lock held (the VMA's, or the mmap lock, which is taken again;
 * the address space stays pinned); the caller then finds its VMA again with
 * vmi_view_next_vma(), after vmi_vma_iter_set(), or find_vma().  Returns 0
 * or -EINTR (then no lock is held; the caller, which gives up its line or
 * answer, counts it in err_eintr, once).
 */
int vmi_view_relock(struct vmi_view *v)
{
	vmi_view_stat(v, VMI_STAT_MID_VMA_YIELDS, 1);
	v->pmd_cache.pmdp = NULL;
	if (v->vma) {
		vmi_vma_unlock(v->vma);
		v->vma = NULL;
		return 0;
	}
	if (!v->locked)
		return 0;
	mmap_read_unlock(v->t.mm);
	v->locked = false;
	if (mmap_read_lock_killable(v->t.mm))
		return -EINTR;
	v->locked = true;
	v->lock_gen++;
	return 0;
}

/* What a VMA line shows of @vma, to tell whether it changed while unlocked. */
void vmi_vma_id(struct vmi_vma_id *id, struct vm_area_struct *vma)
{
	id->start = vma->vm_start;
	id->end = vma->vm_end;
	id->flags = vma->vm_flags;
	id->pgoff = vma->vm_pgoff;
	id->vma = vma;
	id->file = vma->vm_file;
	id->seq = vmi_vma_write_seq(vma);
}

/*
 * The same VMA as before the lock was given up, unchanged?  Bounds, flags,
 * offset and file; and, as an unmap and an identical new mapping would pass
 * those, the same struct and (with per-VMA locks) no write lock taken on it.
 */
bool vmi_vma_same(const struct vmi_vma_id *id, struct vm_area_struct *vma)
{
	return vma == id->vma && vma->vm_start == id->start && vma->vm_end == id->end &&
	       vma->vm_flags == id->flags && vma->vm_pgoff == id->pgoff &&
	       vma->vm_file == id->file && vmi_vma_write_seq(vma) == id->seq;
}

/* Drop the mmap lock, keep the address space pinned (the VMA text, 7.2). */
void vmi_view_unlock_mm(struct vmi_view *v)
{
	if (v->locked) {
		mmap_read_unlock(v->t.mm);
		v->locked = false;
	}
}

/*
 * Which lock the VMA text takes, where per-VMA locks exist (7.2).
 * Uncontended, the mmap lock is the cheaper way: lock_vma_under_rcu() costs a
 * tree walk per line (60,000 VMAs: 2.1 times maps' time, against 1.1-1.2
 * under the mmap lock).  But a writer (mmap(), munmap(), mprotect()) that
 * finds the mmap lock held sleeps, and pays a wake-up.  So the text
 * remembers, per address space, the mmap lock's write sequence at its last
 * read's header, and until when the target counts as busy: if a writer took
 * the lock since then, or waited for one of our reads, it is busy for
 * VMI_BUSY_FOR from then on, and each of its reads from the top takes the
 * header's table count and the lines under per-VMA locks (only the header's
 * fields take the mmap lock); else under the mmap lock, until a writer waits
 * for it.  A hint, in a small table keyed by the mm_struct's address, whose
 * busy slots are not taken over: a collision or a reused address costs reads
 * in the other lock mode, never a wrong line.
 */
#if VMI_VMA_LOCKS
#define VMI_SEEN_BITS	6
#define VMI_BUSY_FOR	HZ

static struct vmi_seen {
	unsigned long mm;
	unsigned long busy_until;	/* jiffies */
	unsigned int wseq;
} vmi_seen[1 << VMI_SEEN_BITS];

/* @mm's slot, taken over if it is another's that is not busy; or NULL. */
static struct vmi_seen *vmi_seen_slot(struct mm_struct *mm, unsigned int seq)
{
	struct vmi_seen *s = &vmi_seen[hash_ptr(mm, VMI_SEEN_BITS)];

	if (READ_ONCE(s->mm) == (unsigned long)mm)
		return s;
	if (time_before(jiffies, READ_ONCE(s->busy_until)))
		return NULL;
	WRITE_ONCE(s->mm, (unsigned long)mm);
	WRITE_ONCE(s->busy_until, jiffies - 1);
	WRITE_ONCE(s->wseq, seq);
	return s;
}

/*
 * Does the target change its address space (its mmap lock write-locked
 * since a read of ours looked, or a writer waited for one, less than
 * VMI_BUSY_FOR ago)?  Called with the mmap lock held for reading, at the top.
 */
bool vmi_view_writers_busy(struct vmi_view *v)
{
	unsigned int seq = vmi_mm_wseq(v->t.mm);
	struct vmi_seen *s = vmi_seen_slot(v->t.mm, seq);
	unsigned long until;

	if (!s)
		return false;
	until = READ_ONCE(s->busy_until);
	if (READ_ONCE(s->wseq) != seq) {
		until = jiffies + VMI_BUSY_FOR;
		WRITE_ONCE(s->busy_until, until);
		WRITE_ONCE(s->wseq, seq);
	}
	return time_before(jiffies, until);
}

/* A writer waited for our lock: per-VMA locks from now on, and for a while. */
void vmi_view_writer_waited(struct vmi_view *v)
{
	struct vmi_seen *s = vmi_seen_slot(v->t.mm, 0);

	v->vma_mode = true;
	if (s)
		WRITE_ONCE(s->busy_until, jiffies + VMI_BUSY_FOR);
}
#else
bool vmi_view_writers_busy(struct vmi_view *v)
{
	return false;
}

void vmi_view_writer_waited(struct vmi_view *v)
{
	v->vma_mode = true;
}
#endif

/*
 * A writer waits for the lock a walk holds (vmi_walk_range() gave -EAGAIN):
 * the target counts as busy (vmi_view_writer_waited()) and the walk lets the
 * writer in.  Under the mmap lock where per-VMA locks exist (7.2), by going
 * on under them: the mmap lock is dropped, and the caller finds its VMA again
 * read-locked.  Else by dropping the lock held and, for the mmap lock, taking
 * it again (vmi_view_relock()).  -EINTR: killed while waiting, no lock held.
 */
int vmi_view_let_writer_in(struct vmi_view *v)
{
	vmi_view_writer_waited(v);
	if (VMI_VMA_LOCKS && v->locked) {
		vmi_view_stat(v, VMI_STAT_MID_VMA_YIELDS, 1);
		vmi_view_unlock_mm(v);
		return 0;
	}
	return vmi_view_relock(v);
}

/* A writer waits for the lock this view holds (the mmap lock, or its VMA's). */
bool vmi_view_writer_waits(struct vmi_view *v)
{
	if (v->locked)
		return mmap_lock_is_contended(v->t.mm);
	return v->vma && vmi_vma_writer_waits(v->vma);
}

void vmi_view_stop(struct seq_file *m, void *p)
{
	struct vmi_view *v = m->private;

	if (v->vma) {
		vmi_vma_unlock(v->vma);
		v->vma = NULL;
	}
	if (v->locked) {
		mmap_read_unlock(v->t.mm);
		v->locked = false;
	}
	if (v->pinned) {
		mmput(v->t.mm);
		v->pinned = false;
	}
	vmi_stat_flush(v);
}
