// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the events that keep the pid table (proc.c) true.
 *
 * Two scheduler tracepoints, found by name with for_each_kernel_tracepoint():
 *   sched_process_fork  a new process (not a new thread) exists
 *   sched_process_free  a task's last reference is going (RCU callback);
 *                       only a thread-group leader's is queued
 * Both run in atomic context, so they only push the pid number into a small
 * FIFO and kick the table's work item, which takes the numbers out with
 * vmi_event_get().  If the FIFO overflows, events were lost: the worker sees
 * vmi_events_overflowed() and rescans every pid instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kfifo.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include "compat.h"
#include "vmainfo.h"

#define VMI_FIFO_SIZE	4096
static DEFINE_SPINLOCK(vmi_fifo_lock);
static DECLARE_KFIFO(vmi_fifo, pid_t, VMI_FIFO_SIZE);
static bool vmi_fifo_overflow;
static struct work_struct *vmi_events_work;	/* kicked while non-NULL */

static void vmi_retry_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vmi_retry_work, vmi_retry_fn);

/* Kick the worker; the caller holds vmi_fifo_lock. */
static void vmi_kick(void)
{
	lockdep_assert_held(&vmi_fifo_lock);
	if (vmi_events_work)
		queue_work(vmi_unbound_wq, vmi_events_work);
}

/* Any context: have the worker look at pid number @nr again. */
void vmi_event_queue(pid_t nr)
{
	unsigned long flags;

	/*
	 * Test and queue under the lock vmi_events_stop() takes to clear the
	 * work: once it is clear, no release of an open file (which may race
	 * with module exit) can queue the work behind cancel_work_sync().
	 */
	spin_lock_irqsave(&vmi_fifo_lock, flags);
	if (!kfifo_put(&vmi_fifo, nr)) {
		if (!vmi_fifo_overflow)
			vmi_stat_add(VMI_STAT_FIFO_OVERFLOWS, 1);
		vmi_fifo_overflow = true;
	}
	vmi_stat_add(VMI_STAT_EV_QUEUED, 1);
	vmi_kick();
	spin_unlock_irqrestore(&vmi_fifo_lock, flags);
}

/* The next queued number, if any. */
bool vmi_event_get(pid_t *nr)
{
	unsigned long flags;
	bool got;

	spin_lock_irqsave(&vmi_fifo_lock, flags);
	got = kfifo_get(&vmi_fifo, nr);
	spin_unlock_irqrestore(&vmi_fifo_lock, flags);
	return got;
}

/* Were events lost since the last call?  If so, the FIFO starts afresh. */
bool vmi_events_overflowed(void)
{
	unsigned long flags;
	bool overflow;

	spin_lock_irqsave(&vmi_fifo_lock, flags);
	overflow = vmi_fifo_overflow;
	vmi_fifo_overflow = false;
	if (overflow)
		kfifo_reset(&vmi_fifo);
	spin_unlock_irqrestore(&vmi_fifo_lock, flags);
	return overflow;
}

/* An entry could not be made: rescan in a second, as after an overflow. */
static void vmi_retry_fn(struct work_struct *work)
{
	unsigned long flags;

	spin_lock_irqsave(&vmi_fifo_lock, flags);
	vmi_fifo_overflow = true;
	vmi_kick();
	spin_unlock_irqrestore(&vmi_fifo_lock, flags);
}

void vmi_events_rescan_later(void)
{
	mod_delayed_work(vmi_unbound_wq, &vmi_retry_work, HZ);
}

/* ---- tracepoint probes: atomic context, O(1), no allocation ---- */

static void vmi_probe_fork(void *data, struct task_struct *parent,
			   struct task_struct *child)
{
	if (thread_group_leader(child))
		vmi_event_queue(task_pid_nr(child));
}

/*
 * Only a thread-group leader's free can end an entry: a leader is released
 * last in its group (a zombie leader waits for its threads, and stays attached
 * to its struct pid as PIDTYPE_TGID), so its free comes after the struct pid
 * lost its last leader.  When a non-leader execs, de_thread() moves the TGID
 * link (and the leader's number) to it and makes the old leader a non-leader
 * (exit_signal = -1) before releasing it: the entry's struct pid keeps a
 * leader, and the old leader's free, rightly, queues nothing.  The struct pid
 * itself may outlive the leader; reconcile looks at the pid table again.
 */
static void vmi_probe_free(void *data, struct task_struct *task)
{
	if (thread_group_leader(task))
		vmi_event_queue(task_pid_nr(task));
}

/* The tracepoints probed, registered in this order. */
enum { VMI_TP_FORK, VMI_TP_FREE, VMI_TP_NR };

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
} vmi_tps[VMI_TP_NR] = {
	[VMI_TP_FORK] = { "sched_process_fork", vmi_probe_fork },
	[VMI_TP_FREE] = { "sched_process_free", vmi_probe_free },
};

static void vmi_find_tp(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmi_tps); i++)
		if (!strcmp(tp->name, vmi_tps[i].name))
			vmi_tps[i].tp = tp;
}

/* Find the tracepoints (ENOENT if one is missing); registers nothing. */
int vmi_events_init(void)
{
	unsigned int i;

	INIT_KFIFO(vmi_fifo);
	for_each_kernel_tracepoint(vmi_find_tp, NULL);
	if (vmi_should_fail(VMI_FAIL_TRACEPOINT))
		vmi_tps[VMI_TP_FREE].tp = NULL;
	for (i = 0; i < ARRAY_SIZE(vmi_tps); i++) {
		if (!vmi_tps[i].tp) {
			pr_err("tracepoint %s not found\n", vmi_tps[i].name);
			return -ENOENT;
		}
	}
	return 0;
}

/*
 * Register the probes; from now on every event kicks @work.  On failure
 * the caller still calls vmi_events_stop() (work may have been queued).
 */
int vmi_events_start(struct work_struct *work)
{
	unsigned int i;
	int err;

	vmi_events_work = work;	/* nothing can race yet: no probe, no open file */
	for (i = 0; i < ARRAY_SIZE(vmi_tps); i++) {
		err = i == VMI_TP_FREE && vmi_should_fail(VMI_FAIL_PROBE) ? -ENOMEM :
		      tracepoint_probe_register(vmi_tps[i].tp, vmi_tps[i].probe, NULL);
		if (err)
			return err;
		vmi_tps[i].registered = true;
	}
	return 0;
}

/* After this no probe runs, no work is queued and none is running. */
void vmi_events_stop(void)
{
	struct work_struct *work = vmi_events_work;
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmi_tps); i++) {
		if (vmi_tps[i].registered)
			tracepoint_probe_unregister(vmi_tps[i].tp,
						    vmi_tps[i].probe, NULL);
		vmi_tps[i].registered = false;
	}
	tracepoint_synchronize_unregister();	/* no probe runs after this */
	spin_lock_irqsave(&vmi_fifo_lock, flags);
	vmi_events_work = NULL;
	spin_unlock_irqrestore(&vmi_fifo_lock, flags);
	if (work)
		cancel_work_sync(work);
	/* Queued by the worker or init only; it queues nothing now. */
	cancel_delayed_work_sync(&vmi_retry_work);
}
