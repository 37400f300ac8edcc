// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the one formatter of a process's address space.
 *
 * /proc/vmainfo/<pid> and /sys/kernel/debug/vmainfo/query print the same
 * text through vmi_view_seq_ops: a header of "key: value" lines, a blank line,
 * then one line per VMA in address order.  Documentation/proc-vmainfo.rst is
 * the contract.
 *
 * Locking follows /proc/PID/maps (fs/proc/task_mmu.c): the mm is pinned with
 * mmgrab() at open; each seq_file chunk does mmget_not_zero() and
 * mmap_read_lock_killable() in m_start and drops both in m_stop, and *pos is
 * the address to resume from, so the lock is held for one buffer, never
 * across copy_to_user(), and addresses never go backwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include "compat.h"
#include "vmainfo.h"

#define VMI_HEADER	((void *)1)

#define VMI_KIND_NAME(e, s) [VMAINFO_KIND_##e] = s,
static const char *const vmi_kind_names[] = { VMAINFO_KINDS(VMI_KIND_NAME) };
#undef VMI_KIND_NAME
#define VMI_KIND_LEN(e, s) [VMAINFO_KIND_##e] = sizeof(s) - 1,
static const unsigned char vmi_kind_lens[] = { VMAINFO_KINDS(VMI_KIND_LEN) };
#undef VMI_KIND_LEN

const char *vmi_kind_name(unsigned int kind)
{
	return kind < VMAINFO_KIND_NR ? vmi_kind_names[kind] : "?";
}

/*
 * The VmFlags mnemonics of /proc/PID/smaps, as the running kernel's
 * show_smap_vma_flags() has them (fs/proc/task_mmu.c): "??" for a bit it does
 * not name, "" for a bit it never prints.
 */
static const char vmi_flag_names[BITS_PER_LONG][2] = {
	[0 ... (BITS_PER_LONG - 1)] = "??",
	[ilog2(VM_READ)]	= "rd",
	[ilog2(VM_WRITE)]	= "wr",
	[ilog2(VM_EXEC)]	= "ex",
	[ilog2(VM_SHARED)]	= "sh",
	[ilog2(VM_MAYREAD)]	= "mr",
	[ilog2(VM_MAYWRITE)]	= "mw",
	[ilog2(VM_MAYEXEC)]	= "me",
	[ilog2(VM_MAYSHARE)]	= "ms",
	[ilog2(VM_GROWSDOWN)]	= "gd",
	[ilog2(VM_PFNMAP)]	= "pf",
#if VMI_SMAPS_HAS_GU
	[ilog2(VM_MAYBE_GUARD)]	= "gu",
#endif
	[ilog2(VM_LOCKED)]	= "lo",
	[ilog2(VM_IO)]		= "io",
	[ilog2(VM_SEQ_READ)]	= "sr",
	[ilog2(VM_RAND_READ)]	= "rr",
	[ilog2(VM_DONTCOPY)]	= "dc",
	[ilog2(VM_DONTEXPAND)]	= "de",
#if VMI_SMAPS_HAS_LF
	[ilog2(VM_LOCKONFAULT)]	= "lf",
#endif
	[ilog2(VM_ACCOUNT)]	= "ac",
	[ilog2(VM_NORESERVE)]	= "nr",
	[ilog2(VM_HUGETLB)]	= "ht",
	[ilog2(VM_SYNC)]	= "sf",
	[ilog2(VM_ARCH_1)]	= "ar",
	[ilog2(VM_WIPEONFORK)]	= "wf",
	[ilog2(VM_DONTDUMP)]	= "dd",
#ifdef CONFIG_ARM64_BTI
	[ilog2(VM_ARM64_BTI)]	= "bt",
#endif
#ifdef CONFIG_MEM_SOFT_DIRTY
	[ilog2(VM_SOFTDIRTY)]	= "sd",
#endif
	[ilog2(VM_MIXEDMAP)]	= "mm",
	[ilog2(VM_HUGEPAGE)]	= "hg",
	[ilog2(VM_NOHUGEPAGE)]	= "nh",
	[ilog2(VM_MERGEABLE)]	= "mg",
	[ilog2(VM_UFFD_MISSING)] = "um",
	[ilog2(VM_UFFD_WP)]	= "uw",
#ifdef CONFIG_ARM64_MTE
	[ilog2(VM_MTE)]		= "mt",
	[ilog2(VM_MTE_ALLOWED)]	= "",
#endif
#ifdef CONFIG_ARCH_HAS_PKEYS
	[ilog2(VM_PKEY_BIT0)]	= "",
	[ilog2(VM_PKEY_BIT1)]	= "",
	[ilog2(VM_PKEY_BIT2)]	= "",
#if VMI_PKEY_BITS > 3
	[ilog2(VM_PKEY_BIT3)]	= "",
#endif
#if VMI_PKEY_BITS > 4
	[ilog2(VM_PKEY_BIT4)]	= "",
#endif
#endif
#ifdef CONFIG_HAVE_ARCH_USERFAULTFD_MINOR
	[ilog2(VM_UFFD_MINOR)]	= "ui",
#endif
#if VMI_SMAPS_HAS_SS
	[ilog2(VM_SHADOW_STACK)] = "ss",
#endif
#if VMI_SMAPS_HAS_DP
	[ilog2(VM_DROPPABLE)]	= "dp",
#endif
#if VMI_SMAPS_HAS_SL
	[ilog2(VM_SEALED)]	= "sl",
#endif
};

/*
 * Lower-case hex of at least @width digits at @p; returns the end.  Written
 * from the last digit back, two digits per byte of @v, as this formats every
 * address of every line.
 */
char *vmi_fmt_hex(char *p, unsigned long long v, unsigned int width)
{
	unsigned int len = v ? (fls64(v) + 3) / 4 : 1;
	char *end;

	len = max(len, width);
	end = p + len;
	while (end - p >= 2) {
		end -= 2;
		hex_byte_pack(end, v & 0xff);
		v >>= 8;
	}
	if (end > p)
		*p = hex_asc_lo(v);
	return p + len;
}

/* Decimal at @p; returns the end. */
char *vmi_fmt_dec(char *p, unsigned long long v)
{
	char tmp[20];
	int len = 0;

	if (v < 10) {		/* most counts of most VMAs */
		*p = '0' + v;
		return p + 1;
	}
	do {
		tmp[len++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (len)
		*p++ = tmp[--len];
	return p;
}

/* Fixed-width hex, like seq_put_hex_ll() (which is not exported). */
void vmi_put_hex(struct seq_file *m, const char *delim,
		 unsigned long long v, unsigned int width)
{
	char buf[40], *p = buf;

	while (delim && *delim && p < buf + 16)
		*p++ = *delim++;
	p = vmi_fmt_hex(p, v, width);
	seq_write(m, buf, p - buf);
}

/* The header keys and their value types (vmainfo_abi.h). */
static const struct vmainfo_key_def vmi_hdr_defs[] = { VMAINFO_HDR_KEYS(VMAINFO_KEY_INIT) };
static const struct vmainfo_vtype_def vmi_vtypes[] = { VMAINFO_VTYPES(VMAINFO_VTYPE_INIT) };

/* "key: value unit" for a numeric key, as its type says. */
static void vmi_key(struct seq_file *m, enum vmainfo_hdr_key k, unsigned long v)
{
	const struct vmainfo_key_def *d = &vmi_hdr_defs[k];

	if (WARN_ON_ONCE(d->type == VMAINFO_V_WORD))
		return;
	seq_puts(m, d->name);
	if (d->type == VMAINFO_V_HEX) {
		seq_puts(m, ": 0x");
		vmi_put_hex(m, NULL, v, 1);
	} else {
		if (vmi_vtypes[d->type].sign)
			seq_put_decimal_ll(m, ": ", (long)v);
		else
			seq_put_decimal_ull(m, ": ", v);
		seq_puts(m, vmi_vtypes[d->type].unit);
	}
	seq_putc(m, '\n');
}

/* "key: " for a WORD key; its text and the newline follow. */
static void vmi_key_word_start(struct seq_file *m, enum vmainfo_hdr_key k)
{
	WARN_ON_ONCE(vmi_hdr_defs[k].type != VMAINFO_V_WORD);
	seq_puts(m, vmi_hdr_defs[k].name);
	seq_puts(m, ": ");
}

static void vmi_key_word(struct seq_file *m, enum vmainfo_hdr_key k, const char *s)
{
	vmi_key_word_start(m, k);
	seq_puts(m, s);
	seq_putc(m, '\n');
}

static bool vmi_overlaps(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end)
{
	return start < end && vma->vm_start < end && start < vma->vm_end;
}

/* A MAP_SHARED|MAP_ANONYMOUS mapping: shmem_zero_setup()'s "dev/zero". */
static bool vmi_is_shared_anon(struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;

	return file && file_inode(file)->i_sb->s_magic == TMPFS_MAGIC &&
	       !strcmp(file->f_path.dentry->d_name.name, "dev/zero");
}

/* The special mapping name /proc/PID/maps would print, or NULL. */
const char *vmi_special_name(struct vm_area_struct *vma)
{
	if (vma->vm_file || !vma->vm_ops || !vma->vm_ops->name)
		return NULL;
	return vma->vm_ops->name(vma);
}

static bool vmi_is_thread_stack(struct vmi_view *v, struct vm_area_struct *vma)
{
	unsigned int i;

	for (i = 0; i < v->ntsp; i++)
		if (vma->vm_start <= v->tsp[i] && v->tsp[i] < vma->vm_end)
			return true;
	return false;
}

/*
 * The user stack pointers of the process's other threads, as saved at their
 * last kernel entry: a VMA holding one is a thread's stack.  Under
 * rcu_read_lock() a task_struct found by for_each_thread() stays valid; its
 * stack is read only while its reference count says it is still the thread's
 * own, with a load that cannot fault (see below); a thread that is running in
 * user mode may report a stale value, hence "where it can be known".
 */
void vmi_collect_thread_sps(struct vmi_view *v)
{
	struct task_struct *task, *t;

	v->ntsp = 0;
	v->nthreads = 0;
	task = v->t.pid ? get_pid_task(v->t.pid, PIDTYPE_TGID) : NULL;
	if (!task)
		return;
	rcu_read_lock();
	for_each_thread(task, t) {
		unsigned long sp;
		void *stack;

		v->nthreads++;
		/* an exiting thread (or a zombie kept by its tracer) has no stack to label */
		if (t == task || v->ntsp == VMI_MAX_TSP ||
		    (READ_ONCE(t->flags) & (PF_KTHREAD | PF_IO_WORKER | PF_EXITING)))
			continue;
		/*
		 * RCU keeps the task_struct, not its stack: the stack is freed
		 * at the thread's last switch-out, into the per-CPU stack cache
		 * (reused at once by the next fork on that CPU) or to vfree()
		 * after call_rcu().  Only a stack still held (stack_refcount)
		 * once inside this section is read: its vfree() then waits for
		 * the section, and the value is kept only if the stack was
		 * still held after the load (not yet released, so not yet
		 * another task's).
		 */
		if (!vmi_task_stack_held(t))
			continue;
		smp_rmb();	/* the stack pointer after the reference */
		stack = READ_ONCE(t->stack);
		if (!stack)
			continue;
		/*
		 * Not a plain load: a stack parked in a CPU's stack cache is
		 * vfree()d at once when that CPU goes offline
		 * (free_vm_stack_cache()), so the page may be gone between the
		 * check and the load; a failed read skips the thread.
		 */
		if (vmi_read_saved_sp(stack, &sp))
			continue;
		smp_rmb();	/* the load above before the re-check */
		if (vmi_task_stack_held(t))
			v->tsp[v->ntsp++] = sp;
	}
	rcu_read_unlock();
	put_task_struct(task);
}

unsigned int vmi_vma_kind(struct vmi_view *v, struct vm_area_struct *vma,
			  const char *special)
{
	struct mm_struct *mm = vma->vm_mm;

	if (special) {
		if (!strcmp(special, "[vdso]"))
			return VMAINFO_KIND_VDSO;
		if (!strncmp(special, "[vvar", 5))
			return VMAINFO_KIND_VVAR;
		return VMAINFO_KIND_SPECIAL;
	}
	if (vmi_overlaps(vma, mm->start_brk, mm->brk))
		return VMAINFO_KIND_HEAP;
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return VMAINFO_KIND_STACK;
	if (!vma->vm_file && vmi_is_thread_stack(v, vma))
		return VMAINFO_KIND_THREAD_STACK;
	if (vma->vm_file) {
		if (vmi_is_shared_anon(vma))
			return VMAINFO_KIND_ANON_SHARED;
		if (vmi_overlaps(vma, mm->start_code, mm->end_code))
			return VMAINFO_KIND_TEXT;
		if (vmi_overlaps(vma, mm->start_data, mm->end_data))
			return VMAINFO_KIND_DATA;
		return (vma->vm_flags & VM_MAYSHARE) ? VMAINFO_KIND_FILE_SHARED :
						       VMAINFO_KIND_FILE_PRIVATE;
	}
	/* The ELF loader's bss: anonymous, right after the data segment. */
	if (mm->end_data && vma->vm_start == PAGE_ALIGN(mm->end_data) &&
	    vma->vm_end <= PAGE_ALIGN(mm->start_brk))
		return VMAINFO_KIND_BSS;
	return VMAINFO_KIND_ANON_PRIVATE;
}

/* The VMAs that hold [start_brk, brk) and how they relate to it. */
static void vmi_show_heap(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long start = mm->start_brk, end = PAGE_ALIGN(mm->brk);
	struct vm_area_struct *vma;
	unsigned int n = 0;
	bool merged = false;
	const char *layout;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = find_vma(mm, vma->vm_end)) {
		n++;
		if (vma->vm_start < start || vma->vm_end > end)
			merged = true;
	}
	if (mm->brk == mm->start_brk)
		layout = "empty";
	else if (!n)
		layout = "unmapped";
	else if (merged)
		layout = "merged";	/* shares a VMA with a neighbour */
	else if (n > 1)
		layout = "split";	/* e.g. by mprotect() of part of it */
	else
		layout = "single";
	vmi_key(m, VMAINFO_HDR_heap_vmas, n);
	vmi_key_word(m, VMAINFO_HDR_heap_layout, layout);
}

/*
 * Count page-table pages per level, reading no PTEs.  Tables are counted once
 * each (the walker remembers the last one per level), and the walk jumps from
 * one PMD range to the next VMA beyond it with find_vma(): with many small
 * VMAs it costs O(PMD ranges in use), not O(VMAs).
 */
static void vmi_count_tables(struct mm_struct *mm, struct vmi_tables *tables)
{
	struct vm_area_struct *vma;
	unsigned long addr = 0;
	struct vmi_walk w;

	mmap_assert_locked(mm);
	vmi_walk_init_tables(&w);
	while ((vma = find_vma(mm, addr))) {
		if (vmi_walk_range(&w, vma, max(vma->vm_start, addr), vma->vm_end))
			break;
		addr = ALIGN(vma->vm_end, PMD_SIZE);	/* the rest of this PMD is counted */
		if (!addr)
			break;
	}
	*tables = w.tables;
}

static int vmi_show_header(struct seq_file *m, struct vmi_view *v)
{
	struct mm_struct *mm = v->t.mm;
	struct vmi_tables tables;

	vmi_key(m, VMAINFO_HDR_pid, v->t.tgid);
	vmi_key_word_start(m, VMAINFO_HDR_comm);
	/* As /proc/PID/status: a newline in comm must not forge a header line. */
	seq_escape_mem(m, v->t.comm, strnlen(v->t.comm, TASK_COMM_LEN),
		       ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\");
	seq_putc(m, '\n');
	vmi_key_word(m, VMAINFO_HDR_kernel, init_utsname()->release);
	vmi_key(m, VMAINFO_HDR_format, VMAINFO_FORMAT_VERSION);
	if (!mm) {
		vmi_key_word(m, VMAINFO_HDR_mm, "none (kernel thread)");
		return 0;
	}
	vmi_key(m, VMAINFO_HDR_start_code, mm->start_code);
	vmi_key(m, VMAINFO_HDR_end_code, mm->end_code);
	vmi_key(m, VMAINFO_HDR_start_data, mm->start_data);
	vmi_key(m, VMAINFO_HDR_end_data, mm->end_data);
	vmi_key(m, VMAINFO_HDR_start_brk, mm->start_brk);
	vmi_key(m, VMAINFO_HDR_brk, mm->brk);
	vmi_key(m, VMAINFO_HDR_heap_size, mm->brk - mm->start_brk);
	vmi_key(m, VMAINFO_HDR_brk_offset, mm->start_brk - mm->end_data);	/* signed */
	vmi_show_heap(m, mm);
	vmi_key(m, VMAINFO_HDR_start_stack, mm->start_stack);
	vmi_key(m, VMAINFO_HDR_arg_start, mm->arg_start);
	vmi_key(m, VMAINFO_HDR_arg_end, mm->arg_end);
	vmi_key(m, VMAINFO_HDR_env_start, mm->env_start);
	vmi_key(m, VMAINFO_HDR_env_end, mm->env_end);
	vmi_key(m, VMAINFO_HDR_mmap_base, mm->mmap_base);
	vmi_key(m, VMAINFO_HDR_task_size, mm->task_size);
	vmi_key(m, VMAINFO_HDR_total_vm, mm->total_vm);
	vmi_key(m, VMAINFO_HDR_locked_vm, mm->locked_vm);
	vmi_key(m, VMAINFO_HDR_pinned_vm, atomic64_read(&mm->pinned_vm));
	vmi_key(m, VMAINFO_HDR_data_vm, mm->data_vm);
	vmi_key(m, VMAINFO_HDR_exec_vm, mm->exec_vm);
	vmi_key(m, VMAINFO_HDR_stack_vm, mm->stack_vm);
	vmi_key(m, VMAINFO_HDR_map_count, mm->map_count);
	vmi_collect_thread_sps(v);
	vmi_key(m, VMAINFO_HDR_threads, v->nthreads);
	vmi_key(m, VMAINFO_HDR_hiwater_rss, max(mm->hiwater_rss, get_mm_rss(mm)));
	vmi_key(m, VMAINFO_HDR_hiwater_vm, max(mm->hiwater_vm, mm->total_vm));
	vmi_key(m, VMAINFO_HDR_rss_anon, vmi_mm_counter(mm, MM_ANONPAGES));
	vmi_key(m, VMAINFO_HDR_rss_file, vmi_mm_counter(mm, MM_FILEPAGES));
	vmi_key(m, VMAINFO_HDR_rss_shmem, vmi_mm_counter(mm, MM_SHMEMPAGES));
	vmi_key(m, VMAINFO_HDR_swap_ents, vmi_mm_counter(mm, MM_SWAPENTS));
	vmi_key(m, VMAINFO_HDR_pgtables_bytes, mm_pgtables_bytes(mm));
	vmi_count_tables(mm, &tables);
	vmi_key(m, VMAINFO_HDR_pte_tables, tables.pte);
	vmi_key(m, VMAINFO_HDR_pmd_tables, tables.pmd);
	vmi_key(m, VMAINFO_HDR_pud_tables, tables.pud);
	vmi_key(m, VMAINFO_HDR_p4d_tables, tables.p4d);
	vmi_key(m, VMAINFO_HDR_thp_deposited_tables, tables.thp_deposit);
	vmi_key(m, VMAINFO_HDR_paging_levels, pgtable_l5_enabled() ? 5 : 4);
	seq_putc(m, '\n');
	return 0;
}

/* "rwxp": the perms column of /proc/PID/maps, at @p; returns the end. */
char *vmi_fmt_perms(char *p, unsigned long flags)
{
	*p++ = flags & VM_READ ? 'r' : '-';
	*p++ = flags & VM_WRITE ? 'w' : '-';
	*p++ = flags & VM_EXEC ? 'x' : '-';
	*p++ = flags & VM_MAYSHARE ? 's' : 'p';
	return p;
}

/* The smaps VmFlags mnemonics, comma-separated ('-' if none), at @p. */
static char *vmi_fmt_flags(char *p, unsigned long flags)
{
	char *start = p;

	while (flags) {
		unsigned int i = __ffs(flags);

		flags &= flags - 1;
		if (!vmi_flag_names[i][0])
			continue;
		if (p != start)
			*p++ = ',';
		*p++ = vmi_flag_names[i][0];
		*p++ = vmi_flag_names[i][1];
	}
	if (p == start)
		*p++ = '-';
	return p;
}

/* A string literal at @p (in a line buffer, no NUL); returns the end. */
#define vmi_fmt_lit(p, s) ({ memcpy(p, s, sizeof(s) - 1); (p) + sizeof(s) - 1; })

/* The VmFlags column, from the view's cache of recently seen vm_flags values. */
static char *vmi_put_flags(struct vmi_view *v, char *p, unsigned long flags)
{
	struct vmi_flags_str *f = &v->flags_cache[hash_long(flags, VMI_FLAGS_CACHE_BITS)];

	if (!f->len || f->flags != flags) {
		f->flags = flags;
		f->len = vmi_fmt_flags(f->str, flags) - f->str;
	}
	memcpy(p, f->str, f->len);
	return p + f->len;
}

/*
 * Where a line of at most @len bytes can be formatted: straight into the
 * seq_file buffer if it has room (as seq_put_hex_ll() and friends write),
 * else into @tmp, to be seq_write()n (and to overflow the buffer, so the line
 * goes to the next chunk).  vmi_seq_commit() finishes either way.
 */
static char *vmi_seq_line(struct seq_file *m, char *tmp, size_t len)
{
	return m->count + len <= m->size ? m->buf + m->count : tmp;
}

static void vmi_seq_commit(struct seq_file *m, char *tmp, char *line, char *end)
{
	if (line == tmp)
		seq_write(m, tmp, end - tmp);
	else
		m->count = end - m->buf;
}

static int vmi_show_vma(struct seq_file *m, struct vmi_view *v,
			struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long flags = vma->vm_flags;
	struct file *file = vma->vm_file;
	const char *special = vmi_special_name(vma);
	unsigned long long pgoff = 0;
	unsigned long ino = 0;
	/* 64 flags of 3 characters; the other columns, " [stack]" and '\n' */
	char tmp[BITS_PER_LONG * 3 + 200] __uninitialized, *line, *p;
	unsigned int kind;
	dev_t dev = 0;
	struct vmi_walk w __uninitialized;	/* vmi_walk_init() sets it */
	int err;

	if (file) {
		const struct inode *inode = vmi_file_user_inode(file);

		dev = inode->i_sb->s_dev;
		ino = inode->i_ino;
		pgoff = ((loff_t)vma->vm_pgoff) << PAGE_SHIFT;
	}

	mmap_assert_locked(mm);
	vmi_walk_init(&w, NULL, &v->pmd_cache);
	w.snap = &v->snap;
	err = vmi_walk_range(&w, vma, vma->vm_start, vma->vm_end);
	vmi_stat_walk(v, &w);
	if (err) {
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
		return err;
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
	p = vmi_put_flags(v, p, flags);
	*p++ = ' ';
	kind = vmi_vma_kind(v, vma, special);
	memcpy(p, vmi_kind_names[kind], vmi_kind_lens[kind]);
	p += vmi_kind_lens[kind];
	*p++ = ' ';
	p = vmi_fmt_dec(p, w.counts.present);
	*p++ = ' ';
	p = vmi_fmt_dec(p, w.counts.swap);
	*p++ = ' ';
	p = vmi_fmt_dec(p, w.counts.huge);
	/* ... and the name /proc/PID/maps prints, last. */
	if (file || special) {
		*p++ = ' ';
		vmi_seq_commit(m, tmp, line, p);
		if (file)
			vmi_seq_file_path(m, file);
		else
			seq_puts(m, special);
		seq_putc(m, '\n');
		return 0;
	}
	if (vmi_vma_is_initial_heap(vma, mm))
		p = vmi_fmt_lit(p, " [heap]");
	else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		p = vmi_fmt_lit(p, " [stack]");
	*p++ = '\n';
	vmi_seq_commit(m, tmp, line, p);
	return 0;
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
	v->snap.pmdp = NULL;
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

static void *vmi_m_start(struct seq_file *m, loff_t *pos)
{
	struct vmi_view *v = m->private;
	struct vm_area_struct *vma;
	int err;

	if (*pos == VMI_POS_END || !v->have_target)
		return NULL;
	if (!v->t.mm)	/* kernel thread: the header alone */
		return *pos == 0 ? VMI_HEADER : NULL;
	if (!vmi_view_lock(v, *pos, &err))
		return err ? ERR_PTR(err) : NULL;
	/* m_next steps through the maple tree from here, as task_mmu.c does */
	vma_iter_init(&v->iter, v->t.mm, *pos);
	if (*pos == 0)
		return VMI_HEADER;
	vma = vma_next(&v->iter);
	if (!vma)
		*pos = VMI_POS_END;
	return vma;
}

static void *vmi_m_next(struct seq_file *m, void *p, loff_t *pos)
{
	struct vmi_view *v = m->private;
	struct vm_area_struct *vma = NULL;

	if (p == VMI_HEADER)
		*pos = 1;	/* VMAs from the lowest address on */
	else
		*pos = ((struct vm_area_struct *)p)->vm_end;
	if (v->t.mm)
		vma = vma_next(&v->iter);	/* the first VMA at or after *pos */
	if (!vma)
		*pos = VMI_POS_END;
	return vma;
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

static int vmi_m_show(struct seq_file *m, void *p)
{
	struct vmi_view *v = m->private;

	if (p == VMI_HEADER)
		return vmi_show_header(m, v);
	if (vmi_view_yield(m, v))
		return 0;
	return vmi_show_vma(m, v, p);
}

const struct seq_operations vmi_view_seq_ops = {
	.start	= vmi_m_start,
	.next	= vmi_m_next,
	.stop	= vmi_view_stop,
	.show	= vmi_m_show,
};

/* Open a view; with @pid the target is chosen now, else by a later select. */
int vmi_view_open(struct file *file, struct pid *pid)
{
	return vmi_view_open_ops(file, pid, &vmi_view_seq_ops);
}

int vmi_view_open_ops(struct file *file, struct pid *pid,
		      const struct seq_operations *ops)
{
	struct vmi_view *v;
	int err;

	v = vmi_should_fail(VMI_FAIL_VIEW) ? NULL : __seq_open_private(file, ops, sizeof(*v));
	if (!v)
		return -ENOMEM;
	vmi_live_inc(VMI_LIVE_VIEWS);
	/* Only the page map builds runs; counts need no buffer. */
	if (ops == &vmi_pagemap_seq_ops) {
		v->runbuf = vmi_should_fail(VMI_FAIL_RUNBUF) ? NULL :
			    kvmalloc_array(PTRS_PER_PTE, sizeof(*v->runbuf), GFP_KERNEL);
		if (!v->runbuf) {
			err = -ENOMEM;
			goto out_release;
		}
		vmi_live_inc(VMI_LIVE_BUFFERS);
	}
	if (pid) {
		err = vmi_target_get(&v->t, pid);
		if (err)
			goto out_release;
		v->have_target = true;
		vmi_live_inc(VMI_LIVE_SELECTIONS);
	}
	return 0;

out_release:
	if (v->runbuf)
		vmi_live_dec(VMI_LIVE_BUFFERS);
	kvfree(v->runbuf);
	vmi_live_dec(VMI_LIVE_VIEWS);
	seq_release_private(file_inode(file), file);
	return err;
}

int vmi_view_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct vmi_view *v = m->private;

	if (v->have_target)
		vmi_live_dec(VMI_LIVE_SELECTIONS);
	vmi_target_put(&v->t);
	if (v->runbuf)
		vmi_live_dec(VMI_LIVE_BUFFERS);
	kvfree(v->runbuf);
	vmi_live_dec(VMI_LIVE_VIEWS);
	return seq_release_private(inode, file);
}
