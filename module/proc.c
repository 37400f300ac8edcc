// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: /proc/vmainfo/<pid> for every process, and /proc/vmainfo/self.
 *
 * procfs gives modules no lookup hook, so the directory holds one real entry
 * per thread-group leader (pid numbers of the initial pid namespace).  It is
 * kept true by the fork and free events of events.c: a worker, the only
 * writer of the table and of the directory, reconciles each number it is given
 * with the pid table: the entry for nr exists iff struct pid nr has a
 * thread-group leader, and it is bound to that very struct pid (a reference is
 * held), so a reused number never shows another process's data: the old entry
 * is removed before the new one is made, and an open of a stale entry finds no
 * task (ESRCH).  If events were lost, the worker rescans every pid instead.
 *
 * proc_remove() waits for running file operations and releases open files
 * (proc_entry_rundown), so an entry's data may be freed right after it, and
 * rmmod is safe while readers hold files open (their reads then fail EIO).
 * That wait has no bound (a read can be stuck in copy_to_user() on a
 * userfaultfd or FUSE page), so the worker never calls proc_remove(): it
 * unhooks the entry (marks it removing; the number stays reserved, as the
 * name does in the directory) and a work item of its own on vmi_rm_wq does
 * the proc_remove(), frees the entry and queues the number again.  One stuck
 * reader so delays only its own number; rmmod drains vmi_rm_wq.
 * So that a reader of a process that exits sees a clean EOF rather than EIO,
 * the entry of a dead process stays (marked dead, opening it gives ESRCH)
 * until its last open file is closed, unless its number is reused first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "compat.h"
#include "vmainfo.h"

struct vmi_entry {
	struct hlist_node node;
	struct pid *pid;		/* reference held */
	struct proc_dir_entry *pde;
	atomic_t opens;			/* open files of this entry */
	bool dead;			/* process gone; removed at last close */
	bool removing;			/* unhooked: vmi_rm_fn owns it now */
	pid_t nr;
	struct work_struct rm_work;	/* proc_remove() off the table lock */
};

static struct proc_dir_entry *vmi_dir;
static DEFINE_HASHTABLE(vmi_entries, 10);	/* worker and init/exit only */
static DEFINE_MUTEX(vmi_table_lock);
static unsigned long vmi_nr_entries;	/* in the table, removing ones too */
static struct workqueue_struct *vmi_rm_wq;	/* the proc_remove()s */

static void vmi_work_fn(struct work_struct *work);
static DECLARE_WORK(vmi_work, vmi_work_fn);

/* ---- the files ---- */

/* The number the reader of @file knows its process by (the "pid:" line). */
static void vmi_set_tgid(struct file *file, pid_t nr)
{
	vmi_view_file(file)->t.tgid = nr;
}

/*
 * The entry is named by the process's number in the initial pid namespace;
 * through a procfs mounted for another pid namespace it opens only where that
 * number names the same process, and hidepid= applies, as the path walk to
 * /proc/<nr>/maps decides (vmi_proc_visible()).
 */
static int vmi_pid_open(struct inode *inode, struct file *file)
{
	struct vmi_entry *e = pde_data(inode);
	int err;

	atomic_inc(&e->opens);
	smp_mb__after_atomic();	/* pairs with vmi_reconcile()'s smp_mb() */
	err = vmi_proc_visible(e->pid, e->nr, inode->i_sb);
	if (!err)
		err = vmi_text_open(file, e->pid);
	if (!err)
		vmi_set_tgid(file, e->nr);
	if (err && atomic_dec_and_test(&e->opens) && READ_ONCE(e->dead))
		vmi_event_queue(e->nr);
	return err;
}

static int vmi_pid_release(struct inode *inode, struct file *file)
{
	struct vmi_entry *e = pde_data(inode);
	int err = vmi_view_release(inode, file);

	/* proc_remove() waits for us, so e is still valid here. */
	if (atomic_dec_and_test(&e->opens) && READ_ONCE(e->dead))
		vmi_event_queue(e->nr);
	return err;
}

/* As /proc/self: ENOENT where the opener has no number in the mount's pid ns. */
static int vmi_self_open(struct inode *inode, struct file *file)
{
	pid_t nr = task_tgid_nr_ns(current, proc_pid_ns(inode->i_sb));
	int err;

	if (!nr)
		return -ENOENT;
	err = vmi_text_open(file, task_tgid(current));
	if (!err)
		vmi_set_tgid(file, nr);
	return err;
}

static const struct proc_ops vmi_pid_ops = {
	.proc_open	= vmi_pid_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= vmi_pid_release,
	VMI_PROC_IOCTLS,
};

static const struct proc_ops vmi_self_ops = {
	.proc_open	= vmi_self_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= vmi_view_release,
	VMI_PROC_IOCTLS,
};

/* ---- the table, changed only under vmi_table_lock ---- */

static struct vmi_entry *vmi_lookup(pid_t nr)
{
	struct vmi_entry *e;

	lockdep_assert_held(&vmi_table_lock);
	hash_for_each_possible(vmi_entries, e, node, nr)
		if (e->nr == nr)
			return e;
	return NULL;
}

/*
 * The second half of a removal, on vmi_rm_wq: proc_remove() waits for every
 * read inside the entry's proc_ops, which may take forever (a read stuck in
 * copy_to_user()), so it runs here, without the table lock.  Until it
 * returns, the entry stays in the table marked removing: the number is
 * reserved and no new entry is made for it.  Then the number is queued again,
 * so a process that reused it gets its entry.
 */
static void vmi_rm_fn(struct work_struct *work)
{
	struct vmi_entry *e = container_of(work, struct vmi_entry, rm_work);
	pid_t nr = e->nr;

	proc_remove(e->pde);	/* waits for readers inside our ops */
	mutex_lock(&vmi_table_lock);
	hash_del(&e->node);
	vmi_nr_entries--;
	mutex_unlock(&vmi_table_lock);
	put_pid(e->pid);
	kfree(e);
	vmi_live_dec(VMI_LIVE_ENTRIES);
	vmi_event_queue(nr);	/* kicks no work once events stopped */
}

/* Unhook @e: hand its removal to vmi_rm_wq (its number stays reserved). */
static void vmi_remove(struct vmi_entry *e)
{
	lockdep_assert_held(&vmi_table_lock);
	if (e->removing)
		return;
	e->removing = true;
	vmi_stat_add(VMI_STAT_TBL_REMOVED, 1);
	queue_work(vmi_rm_wq, &e->rm_work);
}

/* Entry creation failed: rescan in a second (the failure may be transient). */
static void vmi_retry_later(void)
{
	lockdep_assert_held(&vmi_table_lock);
	vmi_stat_add(VMI_STAT_TBL_ADD_FAIL, 1);
	vmi_events_rescan_later();
}

static void vmi_add(pid_t nr, struct pid *pid)
{
	struct vmi_entry *e;
	char name[16];

	lockdep_assert_held(&vmi_table_lock);
	e = vmi_should_fail(VMI_FAIL_ENTRY) ? NULL : kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		vmi_retry_later();
		return;
	}
	e->nr = nr;
	e->pid = get_pid(pid);
	INIT_WORK(&e->rm_work, vmi_rm_fn);
	snprintf(name, sizeof(name), "%d", nr);
	e->pde = vmi_should_fail(VMI_FAIL_ENTRY_PDE) ? NULL :
		 proc_create_data(name, 0444, vmi_dir, &vmi_pid_ops, e);
	if (!e->pde) {
		put_pid(e->pid);
		kfree(e);
		vmi_retry_later();
		return;
	}
	hash_add(vmi_entries, &e->node, nr);
	vmi_nr_entries++;
	vmi_live_inc(VMI_LIVE_ENTRIES);
	vmi_stat_add(VMI_STAT_TBL_ADDED, 1);
}

/* Make entry @nr agree with the pid table. */
static void vmi_reconcile(pid_t nr)
{
	struct vmi_entry *e = vmi_lookup(nr);
	struct pid *pid;
	bool alive;

	lockdep_assert_held(&vmi_table_lock);
	if (e && e->removing)
		return;		/* vmi_rm_fn() queues nr again when it is done */

	rcu_read_lock();
	pid = get_pid(find_pid_ns(nr, &init_pid_ns));
	rcu_read_unlock();
	alive = pid && pid_has_task(pid, PIDTYPE_TGID);

	if (e && alive && e->pid != pid) {
		vmi_remove(e);		/* number reused: the new process wins */
	} else if (e && !alive) {
		WRITE_ONCE(e->dead, true);
		/* Pairs with the atomic_dec_and_test() in release. */
		smp_mb();
		if (!atomic_read(&e->opens))
			vmi_remove(e);
	} else if (alive && !e) {
		vmi_add(nr, pid);
	}
	put_pid(pid);
}

/* Every live pid, then every entry: used at load and after FIFO overflow. */
static void vmi_rescan(void)
{
	struct vmi_entry *e;
	struct hlist_node *tmp;
	struct pid *pid;
	unsigned int bkt;
	pid_t nr = 1;

	lockdep_assert_held(&vmi_table_lock);
	vmi_stat_add(VMI_STAT_RESCANS, 1);
	for (;;) {
		rcu_read_lock();
		pid = find_ge_pid(nr, &init_pid_ns);
		if (pid)
			nr = pid_nr(pid);
		rcu_read_unlock();
		if (!pid)
			break;
		vmi_reconcile(nr);
		if (nr == INT_MAX)
			break;
		nr++;
		cond_resched();
	}
	hash_for_each_safe(vmi_entries, bkt, tmp, e, node)
		if (!e->removing && !pid_has_task(e->pid, PIDTYPE_TGID))
			vmi_reconcile(e->nr);
}

static void vmi_work_fn(struct work_struct *work)
{
	pid_t nr;

	mutex_lock(&vmi_table_lock);
	if (vmi_events_overflowed())
		vmi_rescan();
	else
		while (vmi_event_get(&nr))
			vmi_reconcile(nr);
	mutex_unlock(&vmi_table_lock);
}

/*
 * Remove every entry and wait until every removal, also those begun before,
 * is done: no code of ours runs for an entry after this.  A read stuck in
 * copy_to_user() holds this up (uninterruptibly) until it finishes.
 */
static void vmi_remove_all(void)
{
	struct vmi_entry *e;
	struct hlist_node *tmp;
	unsigned int bkt;

	mutex_lock(&vmi_table_lock);
	hash_for_each_safe(vmi_entries, bkt, tmp, e, node)
		vmi_remove(e);
	mutex_unlock(&vmi_table_lock);
	drain_workqueue(vmi_rm_wq);
	WARN_ON_ONCE(vmi_nr_entries);
}

int vmi_proc_init(void)
{
	int err;

	err = vmi_events_init();
	if (err)
		return err;
	vmi_rm_wq = alloc_workqueue("vmainfo_rm", WQ_UNBOUND, 0);
	if (!vmi_rm_wq)
		return -ENOMEM;
	vmi_dir = vmi_should_fail(VMI_FAIL_PROC_DIR) ? NULL :
		  proc_mkdir(VMAINFO_PROC_DIR, NULL);
	if (!vmi_dir) {
		err = -ENOMEM;
		goto out_wq;
	}
	if (vmi_should_fail(VMI_FAIL_PROC_SELF) ||
	    !proc_create("self", 0444, vmi_dir, &vmi_self_ops) ||
	    !proc_create("query", 0666, vmi_dir, &vmi_proc_query_ops) ||
	    !proc_create("share", 0666, vmi_dir, &vmi_proc_share_ops)) {
		err = -ENOMEM;
		goto out_dir;
	}

	/* Probes first, then the scan: no process can fall between the two. */
	err = vmi_events_start(&vmi_work);
	if (err)
		goto out_stop;
	mutex_lock(&vmi_table_lock);
	vmi_rescan();
	mutex_unlock(&vmi_table_lock);
	return 0;

out_stop:
	vmi_events_stop();
	vmi_remove_all();
out_dir:
	proc_remove(vmi_dir);
out_wq:
	destroy_workqueue(vmi_rm_wq);
	return err;
}

void vmi_proc_exit(void)
{
	vmi_events_stop();
	vmi_remove_all();
	proc_remove(vmi_dir);	/* "self" too; waits for its readers */
	destroy_workqueue(vmi_rm_wq);
}
