// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: percpu_counter state, of a process and of the module itself.
 *
 *   debugfs counters  write "PID", read: mm->rss_stat as central value,
 *                     pending parts (per CPU on 6.2+, per thread on 6.1)
 *                     and exact sum (vmi_rss_table(), from compat.h's
 *                     accessors)
 *   debugfs stats     the module's own statistics, kept in percpu_counters:
 *                     the exact sum, the central count and every possible
 *                     CPU's delta
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/percpu_counter.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include "compat.h"
#include "vmainfo.h"

static struct percpu_counter vmi_stats[VMI_STAT_NR];
static bool vmi_stats_ready;

static const char *const vmi_stat_names[VMI_STAT_NR] = {
	[VMI_STAT_CHUNKS]	= "chunks",
	[VMI_STAT_RESUMES]	= "resumes",
	[VMI_STAT_YIELDS]	= "yields",
	[VMI_STAT_MID_VMA_YIELDS] = "vma_yields",
	[VMI_STAT_VMA_LOCKS]	= "vma_locks",
	[VMI_STAT_CENSUS_LOCKS]	= "census_vma_locks",
	[VMI_STAT_VMA_FALLBACKS] = "vma_lock_fallbacks",
	[VMI_STAT_VMAS]		= "vmas",
	[VMI_STAT_ENTRIES]	= "pt_entries",
	[VMI_STAT_RETRIES]	= "pmd_retries",
	[VMI_STAT_ERR_BAD]	= "err_bad_entry",
	[VMI_STAT_ERR_ACCES]	= "err_eacces",
	[VMI_STAT_ERR_SRCH]	= "err_esrch",
	[VMI_STAT_ERR_INTR]	= "err_eintr",
	[VMI_STAT_EV_QUEUED]	= "tbl_events",
	[VMI_STAT_FIFO_OVERFLOWS] = "tbl_overflows",
	[VMI_STAT_RESCANS]	= "tbl_rescans",
	[VMI_STAT_TBL_ADDED]	= "tbl_added",
	[VMI_STAT_TBL_REMOVED]	= "tbl_removed",
	[VMI_STAT_TBL_ADD_FAIL]	= "tbl_add_failed",
};

atomic_long_t vmi_live[VMI_LIVE_NR];

static const char *const vmi_live_names[VMI_LIVE_NR] = {
	[VMI_LIVE_ENTRIES]	= "entries",
	[VMI_LIVE_VIEWS]	= "views",
	[VMI_LIVE_SELECTIONS]	= "selections",
	[VMI_LIVE_BUFFERS]	= "buffers",
};

/* At unload (every file gone) nothing may be left: say so if it is. */
void vmi_live_check(void)
{
	int i;

	for (i = 0; i < VMI_LIVE_NR; i++) {
		long n = atomic_long_read(&vmi_live[i]);

		if (n)
			pr_err("leaked %ld live %s at exit\n", n, vmi_live_names[i]);
	}
}

/*
 * fail_at's VMI_FAIL_STATS: this counter's init fails, after three others were
 * made (each to be destroyed again).
 */
#define VMI_STATS_FAIL_AT	VMI_STAT_VMAS

static const char *const vmi_rss_names[NR_MM_COUNTERS] = {
	[MM_FILEPAGES]	= "file",
	[MM_ANONPAGES]	= "anon",
	[MM_SWAPENTS]	= "swap",
	[MM_SHMEMPAGES]	= "shmem",
};

int vmi_stats_init(void)
{
	int i, err;

	for (i = 0; i < VMI_STAT_NR; i++) {
		err = percpu_counter_init(&vmi_stats[i], 0, GFP_KERNEL);
		if (!err && i == VMI_STATS_FAIL_AT && vmi_should_fail(VMI_FAIL_STATS)) {
			percpu_counter_destroy(&vmi_stats[i]);
			err = -ENOMEM;
		}
		if (err) {
			while (i--)
				percpu_counter_destroy(&vmi_stats[i]);
			return err;
		}
	}
	vmi_stats_ready = true;
	return 0;
}

void vmi_stats_exit(void)
{
	int i;

	if (!vmi_stats_ready)
		return;
	vmi_stats_ready = false;
	for (i = 0; i < VMI_STAT_NR; i++)
		percpu_counter_destroy(&vmi_stats[i]);
}

void vmi_stat_add(enum vmi_stat stat, s64 n)
{
	if (n)
		percpu_counter_add(&vmi_stats[stat], n);
}

/* Add the view's pending statistics to the counters (at m_stop). */
void vmi_stat_flush(struct vmi_view *v)
{
	int i;

	for (i = 0; i < VMI_STAT_NR; i++) {
		vmi_stat_add(i, v->pending[i]);
		v->pending[i] = 0;
	}
}

/* "stat  sum  central  cpu0 cpu1 ...": deltas of every possible CPU. */
int vmi_stats_show(struct seq_file *m, void *unused)
{
	int cpu, i;

	seq_printf(m, "slots: cpu (all %u possible CPUs; %u online)\n", num_possible_cpus(),
		   num_online_cpus());
	seq_printf(m, "batch: %d\n\n", percpu_counter_batch);
	seq_printf(m, "%-14s %12s %12s", "stat", "sum", "central");
	for_each_possible_cpu(cpu)
		seq_printf(m, " %8s%-3d", "cpu", cpu);
	seq_putc(m, '\n');
	for (i = 0; i < VMI_STAT_NR; i++) {
		struct percpu_counter *fbc = &vmi_stats[i];

		seq_printf(m, "%-14s %12lld %12lld", vmi_stat_names[i],
			   percpu_counter_sum(fbc), percpu_counter_read(fbc));
		for_each_possible_cpu(cpu)
			seq_printf(m, " %11d", READ_ONCE(*per_cpu_ptr(fbc->counters, cpu)));
		seq_putc(m, '\n');
	}
	seq_putc(m, '\n');
	for (i = 0; i < VMI_LIVE_NR; i++)
		seq_printf(m, "live %s: %ld\n", vmi_live_names[i],
			   atomic_long_read(&vmi_live[i]));
	return 0;
}

/* One row of the rss table; the first call also prints the column heads. */
static void vmi_rss_row(struct seq_file *m, const char *label, int id, const long *vals)
{
	char name[24];
	int i;

	if (!strcmp(label, "central")) {
		seq_printf(m, "\n%-12s", "row");
		for (i = 0; i < NR_MM_COUNTERS; i++)
			seq_printf(m, " %10s", vmi_rss_names[i]);
		seq_putc(m, '\n');
	}
	if (id >= 0)
		snprintf(name, sizeof(name), "%s%d", label, id);
	else
		strscpy(name, label, sizeof(name));
	seq_printf(m, "%-12s", name);
	for (i = 0; i < NR_MM_COUNTERS; i++)
		seq_printf(m, " %10ld", vals[i]);
	seq_putc(m, '\n');
}

/*
 * mm->rss_stat as one table, whatever the kernel keeps it in (compat.h); the
 * caller holds an mm reference and the leader task.
 */
#if VMI_RSS_PERCPU
static void vmi_rss_table(struct seq_file *m, struct mm_struct *mm,
			  struct task_struct *leader)
{
	long central[NR_MM_COUNTERS], sum[NR_MM_COUNTERS], d[NR_MM_COUNTERS];
	int cpu, i;

	seq_puts(m, "model: percpu_counter\n");
	seq_printf(m, "batch: %d\n", percpu_counter_batch);
	seq_printf(m, "slots: cpu (all %u possible CPUs; %u online)\n",
		   num_possible_cpus(), num_online_cpus());
	seq_printf(m, "error_bound: %ld pages\n",
		   (long)(percpu_counter_batch - 1) * num_possible_cpus());
	for (i = 0; i < NR_MM_COUNTERS; i++) {
		central[i] = vmi_rss_central(mm, i);
		sum[i] = vmi_rss_sum(mm, i);
	}
	vmi_rss_row(m, "central", -1, central);
	for_each_possible_cpu(cpu) {
		for (i = 0; i < NR_MM_COUNTERS; i++)
			d[i] = vmi_rss_cpu(mm, i, cpu);
		vmi_rss_row(m, "cpu", cpu, d);
	}
	vmi_rss_row(m, "sum", -1, sum);
}
#else
static void vmi_rss_table(struct seq_file *m, struct mm_struct *mm,
			  struct task_struct *leader)
{
	long central[NR_MM_COUNTERS], sum[NR_MM_COUNTERS], d[NR_MM_COUNTERS];
	struct task_struct *t;
	int i;

	seq_puts(m, "model: atomic+task_cache\n");
	seq_printf(m, "batch: %d faults\n", VMI_TASK_RSS_EVENTS_THRESH);
	seq_puts(m, "slots: tid (each thread's cache)\n");
	seq_puts(m, "error_bound: none (each cache folds after 64 faults of its thread)\n");
	for (i = 0; i < NR_MM_COUNTERS; i++)
		sum[i] = central[i] = vmi_rss_central(mm, i);
	vmi_rss_row(m, "central", -1, central);
	rcu_read_lock();
	for_each_thread(leader, t) {
		if (t->mm != mm)
			continue;
		for (i = 0; i < NR_MM_COUNTERS; i++) {
			d[i] = vmi_rss_task(t, i);
			sum[i] += d[i];
		}
		vmi_rss_row(m, "tid", task_pid_nr(t), d);
	}
	rcu_read_unlock();
	vmi_rss_row(m, "sum", -1, sum);
}
#endif

static void *vmi_cnt_start(struct seq_file *m, loff_t *pos)
{
	struct vmi_view *v = m->private;

	return *pos == 0 && v->have_target && v->t.mm ? SEQ_START_TOKEN : NULL;
}

static void *vmi_cnt_next(struct seq_file *m, void *p, loff_t *pos)
{
	++*pos;
	return NULL;
}

static void vmi_cnt_stop(struct seq_file *m, void *p)
{
}

static int vmi_cnt_show(struct seq_file *m, void *p)
{
	struct vmi_view *v = m->private;
	struct task_struct *leader;

	if (!mmget_not_zero(v->t.mm))
		return 0;	/* exited: empty */
	leader = get_pid_task(v->t.pid, PIDTYPE_TGID);
	if (leader) {
		seq_printf(m, "pid: %d\n", v->t.tgid);
		vmi_rss_table(m, v->t.mm, leader);
		put_task_struct(leader);
	}
	mmput(v->t.mm);
	return 0;
}

const struct seq_operations vmi_counters_seq_ops = {
	.start	= vmi_cnt_start,
	.next	= vmi_cnt_next,
	.stop	= vmi_cnt_stop,
	.show	= vmi_cnt_show,
};
