/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmainfo: internal declarations shared by the module's files.
 */
#ifndef _VMAINFO_H
#define _VMAINFO_H

#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include "vmainfo_abi.h"

struct mm_struct;
struct vm_area_struct;
struct pid;

/* ---- walk.c: the one page-table walker ---- */

/*
 * State of one page as the walker reports it in runs, and its flags: the
 * page map's wire format (vmainfo_abi.h), under the walker's names.
 */
#define VMI_PAGE_STATE_ENUM(e, s) VMI_PAGE_##e = VMAINFO_PAGE_##e,
enum vmi_page_state { VMAINFO_PAGE_STATES(VMI_PAGE_STATE_ENUM) };
#undef VMI_PAGE_STATE_ENUM

#define VMI_PF_ENUM(e, bit, s) VMI_PF_##e = VMAINFO_PF_##e,
enum { VMAINFO_PAGE_FLAGS(VMI_PF_ENUM) };
#undef VMI_PF_ENUM
#define VMI_PF_MASK		VMAINFO_PF_MASK	/* all of the above */

struct vmi_counts {
	unsigned long present;		/* pages present (base and huge) */
	unsigned long swap;		/* non-present, non-none entries */
	unsigned long huge;		/* pages mapped by PMD/PUD leaves */
	unsigned long dirty, young, write, softdirty, zero;
};

struct vmi_tables {
	unsigned long pte, pmd, pud, p4d;	/* page-table pages, by level */
	unsigned long thp_deposit;	/* PTE tables deposited for anon THPs */
};

/* One run of a PTE table, found under RCU and replayed after the re-check. */
struct vmi_lrun {
	unsigned short i, n;		/* first entry, entries */
	unsigned char state, flags;
	unsigned long pfn;
};

struct vmi_index;

/* The PMD slot walked last and the PMD range it maps; valid under one lock hold. */
struct vmi_pmd_cache {
	pmd_t *pmdp;
	unsigned long base;
};

/*
 * Part of one PTE table, read and classified under one mmap lock hold, for the
 * counts of the next VMAs in the same table (many small VMAs share a table).
 * Keyed by the PMD slot and the PMD value read (the table's identity).
 */
struct vmi_pte_snap {
	pmd_t *pmdp;			/* NULL: nothing remembered */
	pmd_t pmdval;
	unsigned int lo, hi;		/* entries [lo, hi) are in st[] */
	unsigned int ext;		/* entries read last time; doubled next time */
	u8 st[PTRS_PER_PTE];		/* state | flags << VMI_SNAP_FLAGS_SHIFT */
};
#define VMI_SNAP_FLAGS_SHIFT	2

struct vmi_walk;

/*
 * Locked mode (smaps.c, compare.c): instead of counting entries, hand each one to a
 * callback under the page-table lock that maps it, as smaps does, so the
 * callback may read its struct page and folio.  The walk re-checks the PMD
 * after taking a PTE table's lock (as __pte_offset_map_lock()), and takes
 * pmd_lock() for a PMD leaf or non-present PMD (as pmd_trans_huge_lock()) and
 * huge_pte_lock() for a hugetlb entry.  The callbacks run in atomic context
 * (a spinlock and RCU held): they must not sleep.
 */
struct vmi_locked_ops {
	/* a PTE that is not none, under its table's lock */
	void (*pte)(struct vmi_walk *w, pte_t pte, unsigned long addr);
	/*
	 * If set, instead of .pte and .hole: the @n entries from @ptep (for
	 * @addr on), none or not, under their table's lock, in one call
	 */
	void (*ptes)(struct vmi_walk *w, pte_t *ptep, unsigned long addr,
		     unsigned long n);
	/* a PMD leaf or non-present PMD for [addr, next), under the PMD lock */
	void (*pmd)(struct vmi_walk *w, pmd_t pmd, unsigned long addr,
		    unsigned long next);
	/* a hugetlb entry that is not none, once per huge page, under its lock */
	void (*hugetlb)(struct vmi_walk *w, pte_t *ptep, pte_t pte,
			unsigned long addr);
	/*
	 * [addr, end) has no entry (NULL: holes are not reported); @atomic: called
	 * under a PTE table's lock, for one page
	 */
	void (*hole)(struct vmi_walk *w, unsigned long addr, unsigned long end,
		     bool atomic);
	/*
	 * With .ptes, when the range walked ends inside a PTE table: the next
	 * VMA (after the one that ended at @from), if it lies wholly in the
	 * table that ends at @table_end and is to be counted now; it becomes
	 * w->vma, *@end its end, and .ptes gets its entries under the same
	 * lock.  Under the mmap lock and the table's lock: no sleeping.
	 */
	bool (*more)(struct vmi_walk *w, unsigned long from,
		     unsigned long table_end, unsigned long *end);
};

/* Called once per run of pages with the same state and flags (never per page). */
typedef int (*vmi_run_fn)(struct vmi_walk *w, unsigned long start,
			  unsigned long npages, unsigned int state,
			  unsigned int flags, unsigned long pfn);

struct vmi_walk {
	/* zeroed by vmi_walk_init(), which runs once per VMA */
	struct vmi_counts counts;
	unsigned long entries;		/* entries visited */
	unsigned int retries;		/* PMD changed under us and was reread */
	unsigned int bad;		/* corrupt entries skipped (pXd_bad) */
	bool count_tables;		/* set by vmi_walk_init_tables() */
	bool tables_only;		/* count tables, do not read PTEs */
	bool anon;			/* walking an anonymous VMA */
	bool want_pfn;			/* runs must also be PFN-contiguous */
	unsigned char hshift;		/* hugetlb VMA: its page shift; else 0 */
	struct mm_struct *mm;		/* the mm walked (set per range) */
	struct vm_area_struct *vma;	/* the VMA walked (set per range) */
	const struct vmi_locked_ops *lops;	/* locked mode (set after init) */
	vmi_run_fn run;			/* NULL: counts only */
	void *priv;
	/*
	 * Counts and locked modes: asked after each PMD entry; if it says a
	 * writer waits, the walk stops with -EAGAIN and @resume set (the
	 * caller gives up its lock, takes it again, resets the PMD cache and
	 * the snapshot, and walks on from @resume with the same counts).
	 */
	bool (*yield)(struct vmi_walk *w);
	unsigned long resume, end;
	/* run being accumulated */
	unsigned long run_start, run_npages, run_pfn;
	unsigned int run_state, run_flags;
	/* set by vmi_walk_init() */
	struct vmi_lrun *runbuf;	/* PTRS_PER_PTE runs, for run mode */
	struct vmi_pmd_cache *cache;
	struct vmi_pte_snap *snap;	/* counts mode: table snapshot, or NULL */
	/* used only when counting tables, and set up by vmi_walk_init_tables() */
	struct vmi_pmd_cache own_cache;
	struct vmi_tables tables;
	/* last table counted at each level, to count each table once */
	void *last_pte, *last_pmd, *last_pud, *last_p4d;
};

/*
 * Start a walk of counts or runs with the PMD slot cache @cache.  It runs once
 * per VMA, so it is inline and clears only what such a walk uses.
 */
static inline void vmi_walk_init(struct vmi_walk *w, struct vmi_lrun *runbuf,
				 struct vmi_pmd_cache *cache)
{
	unsigned long *p = (unsigned long *)w;
	unsigned int i;

	/*
	 * Word by word, not memset(): GCC makes that a "rep stosq", which
	 * QEMU's TCG runs one iteration per translation-block exit, and this
	 * runs once per VMA (6.1 guest, "PID rollup" of 60,000 VMAs).  And
	 * unrolled: a loop is a translation block per word.
	 */
	BUILD_BUG_ON(offsetof(struct vmi_walk, runbuf) % sizeof(long));
#pragma GCC unroll 32
	for (i = 0; i < offsetof(struct vmi_walk, runbuf) / sizeof(long); i++) {
		p[i] = 0;
		barrier();	/* not turned back into memset() */
	}
	w->runbuf = runbuf;
	w->cache = cache;
	w->snap = NULL;
}

/* Start a walk that counts page-table pages and reads no PTEs. */
static inline void vmi_walk_init_tables(struct vmi_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->cache = &w->own_cache;
	w->count_tables = true;
	w->tables_only = true;
}

int vmi_walk_range(struct vmi_walk *w, struct vm_area_struct *vma,
		   unsigned long start, unsigned long end);
int vmi_walk_flush(struct vmi_walk *w);

/* ---- target.c: choosing the process to show ---- */

struct vmi_target {
	struct mm_struct *mm;		/* mmgrab()ed, or NULL for a kernel thread */
	struct pid *pid;		/* reference held */
	pid_t tgid;			/* in the reader's pid namespace */
	char comm[TASK_COMM_LEN];
	bool kthread;
};

int vmi_target_get(struct vmi_target *t, struct pid *pid);
int vmi_target_get_as(struct vmi_target *t, struct pid *pid, bool self_ok);
int vmi_target_get_nr(struct vmi_target *t, pid_t nr, struct file *file);
int vmi_proc_visible(struct pid *pid, pid_t nr, struct super_block *sb);
void vmi_target_put(struct vmi_target *t);

/* ---- view.c: the life of a view (an open seq_file of one process) ---- */

/* The module's own statistics (counters.c), batched per lock hold in a view. */
enum vmi_stat {
	VMI_STAT_CHUNKS,	/* seq_file chunks read under the mmap lock */
	VMI_STAT_RESUMES,	/* chunks that resumed after dropping the lock */
	VMI_STAT_YIELDS,	/* chunks ended early for a waiting mmap lock writer */
	VMI_STAT_MID_VMA_YIELDS, /* locks given up inside a VMA's walk for a writer */
	VMI_STAT_VMA_LOCKS,	/* VMAs read under their own read lock (7.2) */
	VMI_STAT_CENSUS_LOCKS,	/* the same, for the header's table count (7.2) */
	VMI_STAT_VMA_FALLBACKS,	/* chunks that fell back from VMA locks to mmap_lock */
	VMI_STAT_VMAS,		/* VMAs shown */
	VMI_STAT_ENTRIES,	/* page-table entries visited */
	VMI_STAT_RETRIES,	/* PMDs re-read because they changed */
	VMI_STAT_ERR_BAD,	/* corrupt (pXd_bad) entries skipped */
	VMI_STAT_ERR_ACCES,	/* opens refused by the access policy */
	VMI_STAT_ERR_SRCH,	/* opens of processes that are gone */
	VMI_STAT_ERR_INTR,	/* reads interrupted by a fatal signal */
	/* the pid table (proc.c, events.c) */
	VMI_STAT_EV_QUEUED,	/* pid numbers pushed into the FIFO */
	VMI_STAT_FIFO_OVERFLOWS, /* times the FIFO filled up (events were lost) */
	VMI_STAT_RESCANS,	/* full rescans of the pid table (load included) */
	VMI_STAT_TBL_ADDED,	/* entries made */
	VMI_STAT_TBL_REMOVED,	/* entries unhooked for removal */
	VMI_STAT_TBL_ADD_FAIL,	/* entries that could not be made (retried) */
	VMI_STAT_NR
};

/*
 * The state every view has; a view's own state embeds it first (struct
 * vmi_text_view in format.c, struct vmi_pm_view in pagemap.c), as
 * numa_maps_private embeds proc_maps_private.
 */
struct vmi_view {
	struct vmi_target t;
	bool pinned;			/* mmget held (for this chunk) */
	bool locked;			/* mmap_read_lock held (for this chunk) */
	struct vm_area_struct *vma;	/* read-locked by us (7.2, for one line) */
	bool vma_mode;			/* writers are busy: per-VMA locks (7.2) */
	unsigned long lock_gen;		/* bumped at every lock taken: what was read
					 * under another hold (a PTE snapshot) is stale */
	bool have_target;
	struct vmi_index *index;	/* the lookups' VMA index (index.c), or NULL */
	struct vmi_pmd_cache pmd_cache;	/* reset each time the lock is taken */
#define VMI_MAX_TSP 64
	unsigned long tsp[VMI_MAX_TSP];	/* user SPs of the other threads */
	unsigned int ntsp, nthreads;
	s64 pending[VMI_STAT_NR];	/* statistics, added up at each m_stop */
};

/* Count @n in the view's pending statistics (added up when the lock is dropped). */
static inline void vmi_view_stat(struct vmi_view *v, enum vmi_stat stat, s64 n)
{
	v->pending[stat] += n;
}

/*
 * A walk's statistics go to the view, not to the percpu_counters: one
 * percpu_counter_add() per statistic per lock hold, not several per VMA.
 */
static inline void vmi_stat_walk(struct vmi_view *v, const struct vmi_walk *w)
{
	vmi_view_stat(v, VMI_STAT_ENTRIES, w->entries);
	vmi_view_stat(v, VMI_STAT_RETRIES, w->retries);
	vmi_view_stat(v, VMI_STAT_ERR_BAD, w->bad);
}

#define VMI_POS_END	((loff_t)-1)	/* seq_file position after the last line */

struct vmi_view *vmi_view_open(struct file *file, struct pid *pid,
			       const struct seq_operations *ops, size_t psize);
struct vmi_view *vmi_view_file(struct file *file);
int vmi_view_release(struct inode *inode, struct file *file);
struct vmi_view *vmi_view_select(struct file *file, struct vmi_target *t);
void vmi_view_select_done(struct file *file);
int vmi_view_get_target(struct file *file, struct vmi_target *t);
bool vmi_view_lock(struct vmi_view *v, loff_t pos, int *err);
bool vmi_view_pin(struct vmi_view *v, loff_t pos);
struct vm_area_struct *vmi_view_next_vma(struct vmi_view *v, struct vma_iterator *iter,
					 unsigned long addr, enum vmi_stat lock_stat);
int vmi_view_relock(struct vmi_view *v);
int vmi_view_let_writer_in(struct vmi_view *v);
void vmi_index_drop(struct vmi_view *v);

/* What a VMA line shows of a VMA, to tell whether it changed while unlocked. */
struct vmi_vma_id {
	unsigned long start, end, flags, pgoff;
	const void *vma, *file;	/* compared, never used */
	unsigned int seq;
};
void vmi_vma_id(struct vmi_vma_id *id, struct vm_area_struct *vma);
bool vmi_vma_same(const struct vmi_vma_id *id, struct vm_area_struct *vma);
void vmi_view_unlock_mm(struct vmi_view *v);
bool vmi_view_writer_waits(struct vmi_view *v);
bool vmi_view_writers_busy(struct vmi_view *v);
void vmi_view_writer_waited(struct vmi_view *v);
void vmi_view_stop(struct seq_file *m, void *p);
/*
 * Between two lines: if a writer waits for the mmap lock (mmap(), munmap(),
 * mprotect() in the target), end this chunk here, as a full buffer would, so
 * the lock is dropped now and the next read() resumes at this line.  Only a
 * chunk that already holds a line is ended (seq_file grows the buffer for a
 * first line that does not fit), which also leaves lseek()'s replay, where
 * the buffer is emptied after every line, untouched.
 */
static inline bool vmi_view_yield(struct seq_file *m, struct vmi_view *v)
{
	if (!m->count || !v->locked || !mmap_lock_is_contended(v->t.mm))
		return false;
	m->count = m->size;	/* seq_has_overflowed(): the line goes to the next chunk */
	vmi_view_writer_waited(v);	/* per-VMA locks from now on, where they exist */
	vmi_view_stat(v, VMI_STAT_YIELDS, 1);
	return true;
}

/*
 * A line formatted in place in the seq_file buffer, or in a caller's buffer:
 * view.c's, inline here because they run once per VMA line (a call and
 * return each cost measurably with 60,000 VMAs).
 */

/* Has the seq_file buffer room for @len more bytes? */
static inline bool vmi_seq_room(struct seq_file *m, size_t len)
{
	return m->count + len <= m->size;
}

/*
 * Where a line of at most @len bytes can be formatted: straight into the
 * seq_file buffer if it has room (as seq_put_hex_ll() and friends write),
 * else into @tmp, to be seq_write()n (and to overflow the buffer, so the line
 * goes to the next chunk).  vmi_seq_commit() finishes either way.
 */
static inline char *vmi_seq_line(struct seq_file *m, char *tmp, size_t len)
{
	return vmi_seq_room(m, len) ? m->buf + m->count : tmp;
}

static inline void vmi_seq_commit(struct seq_file *m, char *tmp, char *line, char *end)
{
	if (line == tmp)
		seq_write(m, tmp, end - tmp);
	else
		m->count = end - m->buf;
}

/* ---- fmt.c: numbers and columns into a line buffer ---- */

/* vmi_fmt_hex(), vmi_fmt_dec(): inline, in fmt.h */

/* The perms column of /proc/PID/maps ("rw-p"); returns the end. */
static inline char *vmi_fmt_perms(char *p, unsigned long flags)
{
	*p++ = flags & VM_READ ? 'r' : '-';
	*p++ = flags & VM_WRITE ? 'w' : '-';
	*p++ = flags & VM_EXEC ? 'x' : '-';
	*p++ = flags & VM_MAYSHARE ? 's' : 'p';
	return p;
}

void vmi_put_hex(struct seq_file *m, const char *delim, unsigned long long v,
		 unsigned int width);

/* ---- classify.c: what a VMA is ---- */

/* The name /proc/PID/maps gives a VMA: at most one of path and name is set. */
struct vmi_vma_name {
	const struct path *path;	/* a file's path (d_path(), seq_path()) */
	const char *name;		/* "[heap]", "[vdso]", ...; with fmt, its %s */
	const char *fmt;		/* "[anon:%s]", "[anon_shmem:%s]" or NULL */
};
/* vmi_vma_name(): inline, in classify.h */
int vmi_vma_name_str(const struct vmi_vma_name *n, char *buf, size_t bsz,
		     const char **name, u32 *sz);
void vmi_collect_thread_sps(struct vmi_view *v);
/* vmi_special_name(), vmi_vma_kind(): inline, in classify.h */
const char *vmi_kind_name(unsigned int kind);
extern const char *const vmi_kind_names[VMAINFO_KIND_NR];
extern const unsigned char vmi_kind_lens[VMAINFO_KIND_NR];

/* The kind's name at @p (in a line buffer, no NUL); returns the end. */
static inline char *vmi_fmt_kind(char *p, unsigned int kind)
{
	memcpy(p, vmi_kind_names[kind], vmi_kind_lens[kind]);
	return p + vmi_kind_lens[kind];
}
char *vmi_fmt_flags(char *p, unsigned long flags);
int vmi_gate_init(void);
unsigned long vmi_gate_vma_flags(struct mm_struct *mm);

/* ---- format.c, header.c, pagemap.c: the VMA text and the page map ---- */

int vmi_show_header(struct seq_file *m, struct vmi_view *v);

int vmi_text_open(struct file *file, struct pid *pid);
int vmi_pagemap_open(struct inode *inode, struct file *file);
int vmi_pagemap_release(struct inode *inode, struct file *file);
void vmi_pagemap_set_range(struct vmi_view *v, unsigned long start,
			   unsigned long end, bool pfn);

/* ---- counters.c: the module's own statistics, and rss_stat tables ---- */

/*
 * Live objects of the module, for leak checks: each is counted up where the
 * object is made and down where it is freed, and all are 0 after unload.
 */
enum vmi_live {
	VMI_LIVE_ENTRIES,	/* /proc/vmainfo/<pid> entries, dead or removing too */
	VMI_LIVE_VIEWS,		/* open files with a struct vmi_view */
	VMI_LIVE_SELECTIONS,	/* views holding a target (pid and mm references) */
	VMI_LIVE_BUFFERS,	/* per-open buffers: page map runs, share compare runs */
	VMI_LIVE_NR
};

extern atomic_long_t vmi_live[VMI_LIVE_NR];

static inline void vmi_live_inc(enum vmi_live i)
{
	atomic_long_inc(&vmi_live[i]);
}

static inline void vmi_live_dec(enum vmi_live i)
{
	atomic_long_dec(&vmi_live[i]);
}

void vmi_live_check(void);

int vmi_stats_init(void);
void vmi_stats_exit(void);
void vmi_stat_add(enum vmi_stat stat, s64 n);
void vmi_stat_flush(struct vmi_view *v);
extern const struct seq_operations vmi_counters_seq_ops;
int vmi_stats_show(struct seq_file *m, void *unused);
int vmi_layout_show(struct seq_file *m, void *unused);

/* ---- fail.c: forced failures, for the tests ---- */

/* The numbers are fail_at's values (tests/guest/t-75-faults.sh): keep them. */
enum vmi_fail_point {
	VMI_FAIL_NONE		= 0,
	VMI_FAIL_STATS		= 1,	/* the stats' percpu_counter_init() of VMI_STAT_VMAS */
	VMI_FAIL_DEBUGFS	= 2,	/* debugfs directory (treated as fatal when forced) */
	VMI_FAIL_TRACEPOINT	= 3,	/* sched_process_free is not found */
	VMI_FAIL_PROC_DIR	= 4,	/* proc_mkdir("vmainfo") */
	VMI_FAIL_PROC_SELF	= 5,	/* proc_create("self") */
	VMI_FAIL_PROBE		= 6,	/* registering the sched_process_free probe */
	/* at run time: each of these fails once, then fail_at is 0 again */
	VMI_FAIL_VIEW		= 7,	/* a view's allocation at open */
	VMI_FAIL_RUNBUF		= 8,	/* the page map's run buffer at open */
	VMI_FAIL_ENTRY		= 9,	/* an entry's allocation (proc.c) */
	VMI_FAIL_ENTRY_PDE	= 10,	/* an entry's proc_create_data() */
	VMI_FAIL_NR
};

bool vmi_should_fail(enum vmi_fail_point point);

/* ---- events.c: the fork and free events that feed the pid table ---- */

int vmi_events_init(void);
int vmi_events_start(struct work_struct *work);
void vmi_events_stop(void);
void vmi_event_queue(pid_t nr);
bool vmi_event_get(pid_t *nr);
bool vmi_events_overflowed(void);
void vmi_events_rescan_later(void);

/* ---- buildid.c: an ELF file's build ID, as lib/buildid.c reads it ---- */

#define VMI_BUILD_ID_MAX	20	/* BUILD_ID_SIZE_MAX */
int vmi_build_id(struct file *f, u8 *id, u32 *size);

/* ---- query.c, batch.c: the ioctls of the text files (PROCMAP_QUERY, the batch) ---- */

long vmi_query_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
/* In a struct proc_ops: proc_compat_ioctl exists with CONFIG_COMPAT only. */
#ifdef CONFIG_COMPAT
#define VMI_PROC_IOCTLS	.proc_ioctl = vmi_query_ioctl, .proc_compat_ioctl = compat_ptr_ioctl
#else
#define VMI_PROC_IOCTLS	.proc_ioctl = vmi_query_ioctl
#endif

/* ---- proc.c and debugfs.c ---- */

int vmi_proc_init(void);
void vmi_proc_exit(void);
extern const struct proc_ops vmi_proc_query_ops;
/* share.c: /proc/vmainfo/share and debugfs share */
extern const struct proc_ops vmi_proc_share_ops;
extern const struct file_operations vmi_share_fops;
int vmi_debugfs_init(void);
void vmi_debugfs_exit(void);

#endif /* _VMAINFO_H */
