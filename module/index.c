// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the VMA index of an open file's lookups (VMAINFO_BATCH_INDEX, an
 * array of addresses alone: batch.c).
 *
 * A symbolizer asks for many addresses of a process that does not change
 * meanwhile.  The tree path pays, per address, a maple tree descent and the
 * reads of the VMA, its file, inode and superblock: cache misses (and, under
 * an emulator, software TLB misses) that the kernel's PROCMAP_QUERY pays
 * too.  The index keeps every VMA's answer (procmap_query's fields, from
 * vmi_pmq_fill_pmq(), the single query's own) in address order, in the
 * file's own memory, and answers an address by a binary search over the
 * VMAs' ends: find_vma()'s rule, then query_matching_vma()'s filters.
 *
 * Validity: the VMA tree and every field kept change only under
 * mmap_write_lock(): the bounds, vm_pgoff, vm_file, vm_ops and, of
 * vm_flags, only VM_READ, VM_WRITE, VM_EXEC and VM_MAYSHARE (other bits do
 * change under the read lock: 7.2's VM_MAYBE_GUARD, x86's VM_PAT, so the
 * index must never keep the raw vm_flags).  Every write lock moves
 * mm->mm_lock_seq (compat.h's vmi_mm_seq()), at its lock and its unlock or
 * downgrade.  The index is filled under mmap_read_lock(), which no writer
 * holds then, and keeps the sequence read there; a part of a call is
 * answered from it only if the process has not exited (mm_users: ESRCH, as
 * the tree path gives it) and the sequence is still that one.  The answers
 * are then those of that moment, as a single query's are those of its lock
 * hold; no lock of the target is taken, so its writers never wait for an
 * indexed lookup.  Any write lock makes the index stale, even one that
 * changes no VMA (fork(), khugepaged, a munmap() of nothing).  The sequence
 * is 32 bits and a writer moves it by 2: an index older than
 * VMI_INDEX_MAX_AGE is not used (2^31 write-lock sections take minutes even
 * in a loop of empty munmap() calls).  The index holds its mm_struct
 * (mmgrab()), so the address it compares is never another process's.
 *
 * The file keeps one index (struct vmi_view's index, under the seq_file's
 * lock); a call takes a reference.  A call asking for it builds it when the
 * file has none, or when the process changed after the last one paid for
 * itself (answered a quarter as many addresses as it has VMAs); else the
 * tree answers, and its answers count toward the next build, so a process
 * that keeps changing costs at most one build per that many lookups.  A
 * build that fails (a writer waited: it gives the lock up as a text read
 * does; no memory; the budget of all indexes, VMI_INDEX_BUDGET; more than
 * VMI_INDEX_MAX_VMAS VMAs) leaves an index without entries, never valid,
 * that counts the tree's answers the same way: a failing build is tried
 * again at most once per that many lookups too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/kdev_t.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/refcount.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "compat.h"
#include "query.h"
#include "vmainfo.h"

#define VMI_INDEX_MAX_VMAS	(1U << 18)	/* about 10 MiB of index (4 KiB per 102) */
#define VMI_INDEX_MAX_AGE	(5 * HZ)
#define VMI_INDEX_CHECK		1024	/* VMAs filled between writer checks */
#define VMI_INDEX_BUDGET	(256L << 20)	/* bytes of all indexes at once */

static atomic_long_t vmi_index_bytes;	/* of the entries of all indexes */

/* One VMA's answer but its end (the key), the fields of vmi_pmq_fill_pmq(). */
struct vmi_index_ent {
	u64 start, offset, inode;
	u32 dev;			/* MKDEV(dev_major, dev_minor) */
	u8 flags;			/* vma_flags, and VMI_INDEX_FILE */
	u8 page_shift;			/* vma_page_size = 1 << page_shift */
};
#define VMI_INDEX_FILE		0x80	/* vm_file: FILE_BACKED_VMA passes */

/*
 * The index is a B+ tree of two levels.  A leaf, a 4 KiB page, holds the
 * ends of VMI_INDEX_PER (102) VMAs in address order (U64_MAX past the last
 * VMA) and their entries; top[] (32 KiB) holds each leaf's last end (U64_MAX
 * past the last leaf).  A search reads the top, whose steps read the same
 * few pages for every address, so they stay hot, and then one leaf, whose
 * entry is in the page its ends are in: one page of its own per address (a
 * software TLB miss under an emulator, a few cache misses on hardware),
 * where one binary search over the 60,000 ends of an array of 40-byte
 * entries reads a dozen.
 */
#define VMI_INDEX_LEAF_BYTES	4096
#define VMI_INDEX_PER		(VMI_INDEX_LEAF_BYTES / (sizeof(u64) + sizeof(struct vmi_index_ent)))
#define VMI_INDEX_TOP		4096	/* leaves at most */

struct vmi_index_leaf {
	u64 end[VMI_INDEX_PER];
	struct vmi_index_ent ent[VMI_INDEX_PER];
	u8 pad[VMI_INDEX_LEAF_BYTES - VMI_INDEX_PER * (sizeof(u64) + sizeof(struct vmi_index_ent))];
};

struct vmi_index {
	refcount_t ref;
	struct mm_struct *mm;		/* mmgrab()ed */
	unsigned int seq;		/* vmi_mm_seq() when built */
	unsigned long born;		/* jiffies */
	atomic_long_t answered;		/* addresses answered for this mm since */
	u32 n;				/* VMAs */
	u32 leaves;
	/* NULL: a build failed, never valid; else top[VMI_INDEX_TOP], then leaf[] */
	u64 *top;
	struct vmi_index_leaf *leaf;
	long bytes;			/* of top and leaf[], in vmi_index_bytes */
};

/* @ix's entries go, and their bytes leave the budget (never under the lock). */
static void vmi_index_give_up(struct vmi_index *ix)
{
	kvfree(ix->top);
	ix->top = NULL;
	atomic_long_sub(ix->bytes, &vmi_index_bytes);
	ix->bytes = 0;
}

static void vmi_index_free(struct vmi_index *ix)
{
	if (ix->mm)
		mmdrop(ix->mm);
	vmi_index_give_up(ix);
	kfree(ix);
	vmi_live_dec(VMI_LIVE_BUFFERS);
}

void vmi_index_put(struct vmi_index *ix)
{
	if (ix && refcount_dec_and_test(&ix->ref))
		vmi_index_free(ix);
}

/* Is @ix the index of @mm as it is now? */
static bool vmi_index_valid(struct vmi_index *ix, struct mm_struct *mm)
{
	return ix->top && ix->mm == mm && vmi_mm_seq(mm) == ix->seq &&
	       time_before(jiffies, ix->born + VMI_INDEX_MAX_AGE);
}

/*
 * A new index of c's process: built, or without entries when the build
 * failed (see the top); NULL if there is no memory for it at all or the
 * process exited (the tree path reports that).  Takes and drops the lock
 * itself: the entries are allocated before, for the VMAs counted without it
 * (a hint, checked under it).
 */
static struct vmi_index *vmi_index_build(struct vmi_pmq *c)
{
	struct mm_struct *mm = c->t.mm;
	struct vmainfo_procmap_query p;
	struct vm_area_struct *vma;
	struct vmi_index_leaf *l;
	struct vmi_index *ix;
	u32 n, cap, i = 0;

	BUILD_BUG_ON(sizeof(struct vmi_index_leaf) != VMI_INDEX_LEAF_BYTES);
	BUILD_BUG_ON(DIV_ROUND_UP(VMI_INDEX_MAX_VMAS, VMI_INDEX_PER) > VMI_INDEX_TOP);
	ix = kzalloc(sizeof(*ix), GFP_KERNEL_ACCOUNT);
	if (!ix)
		return NULL;
	vmi_live_inc(VMI_LIVE_BUFFERS);
	refcount_set(&ix->ref, 1);
	mmgrab(mm);
	ix->mm = mm;
	ix->born = jiffies;
	/* unlocked: a size to allocate for, checked under the lock */
	n = data_race(READ_ONCE(mm->map_count));
	ix->n = max(n, 1U);		/* without entries: the count to pay for */
	if (n > VMI_INDEX_MAX_VMAS)
		return ix;
	ix->leaves = DIV_ROUND_UP(max(n, 1U), VMI_INDEX_PER);
	cap = ix->leaves * VMI_INDEX_PER;
	ix->bytes = VMI_INDEX_TOP * sizeof(u64) + ix->leaves * sizeof(*ix->leaf);
	if (atomic_long_add_return(ix->bytes, &vmi_index_bytes) > VMI_INDEX_BUDGET) {
		vmi_index_give_up(ix);
		return ix;
	}
	/* over 8 KiB: the page allocator's or vmalloc()'s, so leaves are pages */
	ix->top = kvmalloc(ix->bytes, GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!ix->top) {
		vmi_index_give_up(ix);
		return ix;
	}
	ix->leaf = (struct vmi_index_leaf *)(ix->top + VMI_INDEX_TOP);
	if (vmi_pmq_lock(c)) {
		vmi_index_put(ix);
		return NULL;
	}
	if (mm->map_count > cap)
		goto give_up;	/* grew since the count */
	ix->seq = vmi_mm_seq(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		mmap_assert_locked(mm);
		for_each_vma(vmi, vma) {
			if (i && !(i % VMI_INDEX_CHECK)) {
				if (mmap_lock_is_contended(mm))
					goto give_up;
				cond_resched();
			}
			vmi_pmq_fill_pmq(&p, vma);
			if (WARN_ON_ONCE(i == cap || !is_power_of_2(p.vma_page_size)))
				goto give_up;
			l = &ix->leaf[i / VMI_INDEX_PER];
			l->end[i % VMI_INDEX_PER] = p.vma_end;
			l->ent[i % VMI_INDEX_PER] = (struct vmi_index_ent){
				.start = p.vma_start, .offset = p.vma_offset,
				.inode = p.inode, .dev = MKDEV(p.dev_major, p.dev_minor),
				.flags = p.vma_flags | (vma->vm_file ? VMI_INDEX_FILE : 0),
				.page_shift = ilog2(p.vma_page_size),
			};
			i++;
		}
	}
	vmi_pmq_unlock(c);
	ix->n = i;
	for (; i < cap; i++) {	/* U64_MAX ends, zero entries: see vmi_index_answer() */
		l = &ix->leaf[i / VMI_INDEX_PER];
		l->end[i % VMI_INDEX_PER] = U64_MAX;
		l->ent[i % VMI_INDEX_PER] = (struct vmi_index_ent){ };
	}
	for (i = 0; i < VMI_INDEX_TOP; i++)
		ix->top[i] = i < ix->leaves ? ix->leaf[i].end[VMI_INDEX_PER - 1] : U64_MAX;
	return ix;

give_up:
	vmi_pmq_unlock(c);
	vmi_index_give_up(ix);
	return ix;
}

/*
 * The index for a call of @file, referenced, or NULL: the tree answers this
 * call (vmi_index_count() its answers).  Builds one when the file has none,
 * or when the one it has is stale and paid for itself (see the top); a new
 * one is the file's only while the file still looks at its process.
 */
struct vmi_index *vmi_index_get(struct file *file, struct vmi_pmq *c)
{
	struct seq_file *m = file->private_data;
	struct vmi_view *v = m->private;
	struct vmi_index *ix, *old = NULL;

	if (!VMI_MM_SEQ || !c->t.mm)
		return NULL;
	if (mutex_lock_killable(&m->lock))
		return NULL;
	ix = v->index;
	if (ix)
		refcount_inc(&ix->ref);
	mutex_unlock(&m->lock);
	if (ix) {
		if (vmi_index_valid(ix, c->t.mm))
			return ix;
		/* stale or failed: again only once it paid for itself */
		if (ix->mm == c->t.mm && atomic_long_read(&ix->answered) < ix->n / 4)
			return ix;	/* the caller finds it stale: the tree, counted */
		vmi_index_put(ix);
	}
	ix = vmi_index_build(c);
	if (!ix)
		return NULL;
	mutex_lock(&m->lock);
	if (v->have_target && v->t.mm == ix->mm) {
		old = v->index;
		v->index = ix;
		refcount_inc(&ix->ref);
	}
	mutex_unlock(&m->lock);
	vmi_index_put(old);
	return ix;
}

/* The file's index is no longer of its target (released, selected anew). */
void vmi_index_drop(struct vmi_view *v)
{
	vmi_index_put(v->index);
	v->index = NULL;
}

/* @n addresses answered by the tree while @ix was stale: toward the next build. */
void vmi_index_count(struct vmi_index *ix, u32 n)
{
	if (ix)
		atomic_long_add(n, &ix->answered);
}

/* The answer of an address no VMA answers: zeros. */
static const struct vmi_index_ent vmi_index_none;

/* query_matching_vma()'s filters on an entry. */
static __always_inline bool vmi_index_match(const struct vmi_index_ent *e, u64 flags)
{
	if ((flags & VMAINFO_PMQ_FILE_BACKED_VMA) && !(e->flags & VMI_INDEX_FILE))
		return false;
	return !(flags & VMI_PMQ_PERM_FLAGS & ~(u64)e->flags);
}

/*
 * One step of a binary search over @len sorted ends at @k, for the count of
 * those at or below @addr: on by half where the end before that half is at
 * or below @addr.  A mask from the comparison, no branch on the data (GCC 12
 * makes jumps of a conditional expression here): a mispredicted branch per
 * step is what makes a plain binary search slow on random addresses, and
 * under an emulator every branch ends a translated block.  @len is a
 * constant: the steps fold into one straight run of code, and those past a
 * length of 1 into nothing.
 */
#define VMI_INDEX_HALVE(k, len, addr) do {					\
	if ((len) > 1) {							\
		(k) += -(unsigned long)((k)[(len) / 2 - 1] <= (addr)) & ((len) / 2); \
		(len) -= (len) / 2;						\
	}									\
} while (0)

/* The count of the @len ends at @keys at or below @addr (below U64_MAX). */
static __always_inline u32 vmi_index_rank(const u64 *keys, u32 len, u64 addr)
{
	const u64 *k = keys;
	unsigned int s;

	BUILD_BUG_ON(VMI_INDEX_TOP > 1U << 12 || VMI_INDEX_PER > 1U << 12);
	/* unrolled (else still right, with a branch a step), @len folded */
#pragma GCC unroll 12
	for (s = 0; s < 12; s++)
		VMI_INDEX_HALVE(k, len, addr);
	return k - keys + (*k <= addr);
}

/*
 * find_vma(): the first entry that ends above @addr (ix->n: none), as the
 * count of ends at or below it.  The first leaf whose last end is above
 * @addr holds it; when none is, every VMA ends at or below @addr and the
 * last leaf's count, VMI_INDEX_PER, makes one at or past ix->n.  No VMA
 * ends at U64_MAX, the padding, so U64_MAX - 1 answers as U64_MAX does.
 */
static __always_inline u32 vmi_index_find_vma(const struct vmi_index *ix, u64 addr)
{
	u32 i;

	addr = min(addr, U64_MAX - 1);
	i = min(vmi_index_rank(ix->top, VMI_INDEX_TOP, addr), ix->leaves - 1);
	return min_t(u32, i * VMI_INDEX_PER + vmi_index_rank((ix->leaf + i)->end, VMI_INDEX_PER, addr),
		     ix->n);
}

/* The entry and end at slot @i, below the leaves' slots (zeros past ix->n). */
static __always_inline const struct vmi_index_ent *vmi_index_ent(const struct vmi_index *ix,
								 u32 i, u64 *end)
{
	const struct vmi_index_leaf *l = ix->leaf + i / VMI_INDEX_PER;
	const struct vmi_index_ent *ent = l->ent;	/* pointers: the slot is in range */
	const u64 *ends = l->end;

	*end = ends[i % VMI_INDEX_PER];
	return ent + i % VMI_INDEX_PER;
}

/*
 * query_matching_vma()'s filters for the entry @i that find_vma() gave
 * (ix->n: none), with 0x10 the next entry that passes them: the entry
 * answered, or ix->n.  Entries *from..*to-1 failed them and *to passed (or
 * is ix->n): a run below the last joins it, so a run is skipped once for
 * all the addresses that land in it.
 */
static u32 vmi_index_filter(const struct vmi_index *ix, u32 i, u64 flags, u32 *from, u32 *to)
{
	u32 start = i;
	u64 end;

	if (i >= ix->n || vmi_index_match(vmi_index_ent(ix, i, &end), flags))
		return i;
	if (!(flags & VMAINFO_PMQ_COVERING_OR_NEXT_VMA))
		return ix->n;
	if (*from <= i && i <= *to)
		return *to;
	while (++i < ix->n && !vmi_index_match(vmi_index_ent(ix, i, &end), flags))
		if (i == *from) {
			i = *to;
			break;
		}
	*from = start;
	*to = i;
	return i;
}

/*
 * Answer @n addresses at @addrs into the caller's records at @out (struct
 * procmap_query, VMAINFO_QUERY_SIZE_VER0 bytes each: the fields a single
 * query with @flags gives, vma_end 0 where it gives ENOENT), as
 * vmi_pmq_find() would under the lock, if @ix is still the process's index:
 * else -EAGAIN (stale: the caller answers from the tree, nothing written),
 * -ESRCH (the process exited) or -EFAULT.  Neither lock nor reference of the
 * target: its mm_struct is the index's (mmgrab()).  Written straight to the
 * caller's memory, a word at a time: no copy of a record is made.  Without
 * filters an address takes no branch on the data but for an answer of none.
 */
int vmi_index_answer(struct vmi_index *ix, struct mm_struct *mm, const u64 *addrs,
		     struct vmainfo_procmap_query __user *out, u32 n, u64 flags)
{
	bool next = flags & VMAINFO_PMQ_COVERING_OR_NEXT_VMA;
	bool filtered = flags & (VMAINFO_PMQ_FILE_BACKED_VMA | VMI_PMQ_PERM_FLAGS);
	struct vmainfo_procmap_query __user *r;
	u32 from = U32_MAX, to = 0, j, i;
	const struct vmi_index_ent *e;
	u64 addr, end;
	bool hit;

	if (!atomic_read(&mm->mm_users))
		return -ESRCH;		/* as mmget_not_zero() would fail */
	if (!vmi_index_valid(ix, mm))
		return -EAGAIN;		/* the answers are of this moment */
	if (!user_write_access_begin(out, (size_t)n * sizeof(*out)))
		return -EFAULT;
	for (j = 0, r = out; j < n; j++, r++) {
		addr = addrs[j];
		i = vmi_index_find_vma(ix, addr);
		if (unlikely(filtered))
			i = vmi_index_filter(ix, i, flags, &from, &to);
		/* slots past ix->n are zeros; none: ENOENT, zeros, vma_end 0 */
		e = vmi_index_ent(ix, min(i, ix->leaves * VMI_INDEX_PER - 1), &end);
		/* & and |: no branches (else in a gap) */
		hit = (i < ix->n) & (next | (e->start <= addr));
		e = hit ? e : &vmi_index_none;
		end = hit ? end : 0;
		unsafe_put_user(sizeof(*r), &r->size, efault);
		unsafe_put_user(flags, &r->query_flags, efault);
		unsafe_put_user(addr, &r->query_addr, efault);
		unsafe_put_user(e->start, &r->vma_start, efault);
		unsafe_put_user(end, &r->vma_end, efault);
		unsafe_put_user((u64)(e->flags & ~VMI_INDEX_FILE), &r->vma_flags, efault);
		unsafe_put_user((u64)hit << (e->page_shift & 63), &r->vma_page_size, efault);
		unsafe_put_user(e->offset, &r->vma_offset, efault);
		unsafe_put_user(e->inode, &r->inode, efault);
		unsafe_put_user((u32)MAJOR(e->dev), &r->dev_major, efault);
		unsafe_put_user((u32)MINOR(e->dev), &r->dev_minor, efault);
		unsafe_put_user(0U, &r->vma_name_size, efault);
		unsafe_put_user(0U, &r->build_id_size, efault);
		unsafe_put_user(0ULL, &r->vma_name_addr, efault);
		unsafe_put_user(0ULL, &r->build_id_addr, efault);
	}
	user_write_access_end();
	atomic_long_add(n, &ix->answered);
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}
