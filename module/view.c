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
 * mmap_read_lock_killable() in m_start and drops both in m_stop, and *pos is
 * the address to resume from, so the lock is held for one buffer, never
 * across copy_to_user(), and addresses never go backwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
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
 * beside reads: the ioctls (query.c).  Taken under the seq_file's lock, which
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
	struct mm_struct *mm = v->t.mm;

	*err = 0;
	if (!mmget_not_zero(mm))
		return false;	/* the process exited (or exec'd): EOF */
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
		*err = -EINTR;
		return false;
	}
	v->locked = true;
	v->pmd_cache.pmdp = NULL;	/* nothing found under an earlier hold */
	vmi_view_stat(v, VMI_STAT_CHUNKS, 1);
	if (pos)
		vmi_view_stat(v, VMI_STAT_RESUMES, 1);
	return true;
}

/*
 * Between two lines: if a writer waits for the mmap lock (mmap(), munmap(),
 * mprotect() in the target), end this chunk here, as a full buffer would, so
 * the lock is dropped now and the next read() resumes at this line.  Only a
 * chunk that already holds a line is ended (seq_file grows the buffer for a
 * first line that does not fit), which also leaves lseek()'s replay, where
 * the buffer is emptied after every line, untouched.
 */
bool vmi_view_yield(struct seq_file *m, struct vmi_view *v)
{
	if (!m->count || !v->locked || !mmap_lock_is_contended(v->t.mm))
		return false;
	m->count = m->size;	/* seq_has_overflowed(): the line goes to the next chunk */
	vmi_view_stat(v, VMI_STAT_YIELDS, 1);
	return true;
}

void vmi_view_stop(struct seq_file *m, void *p)
{
	struct vmi_view *v = m->private;

	if (v->locked) {
		mmap_read_unlock(v->t.mm);
		mmput(v->t.mm);
		v->locked = false;
	}
	vmi_stat_flush(v);
}

/* Has the seq_file buffer room for @len more bytes? */
bool vmi_seq_room(struct seq_file *m, size_t len)
{
	return m->count + len <= m->size;
}

/*
 * Where a line of at most @len bytes can be formatted: straight into the
 * seq_file buffer if it has room (as seq_put_hex_ll() and friends write),
 * else into @tmp, to be seq_write()n (and to overflow the buffer, so the line
 * goes to the next chunk).  vmi_seq_commit() finishes either way.
 */
char *vmi_seq_line(struct seq_file *m, char *tmp, size_t len)
{
	return vmi_seq_room(m, len) ? m->buf + m->count : tmp;
}

void vmi_seq_commit(struct seq_file *m, char *tmp, char *line, char *end)
{
	if (line == tmp)
		seq_write(m, tmp, end - tmp);
	else
		m->count = end - m->buf;
}
