// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: what a VMA is.  Its kind (vmainfo_abi.h's VMAINFO_KINDS), the
 * special name /proc/PID/maps would print, which VMAs are the stacks of other
 * threads, and the VmFlags mnemonics of /proc/PID/smaps.  The VMA text
 * (format.c) and the page map (pagemap.c) both print these.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include "compat.h"
#include "vmainfo.h"

#define VMI_KIND_NAME(e, s) [VMAINFO_KIND_##e] = s,
const char *const vmi_kind_names[VMAINFO_KIND_NR] = { VMAINFO_KINDS(VMI_KIND_NAME) };
#undef VMI_KIND_NAME
#define VMI_KIND_LEN(e, s) [VMAINFO_KIND_##e] = sizeof(s) - 1,
const unsigned char vmi_kind_lens[VMAINFO_KIND_NR] = { VMAINFO_KINDS(VMI_KIND_LEN) };
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

/* The smaps VmFlags mnemonics, comma-separated ('-' if none), at @p. */
char *vmi_fmt_flags(char *p, unsigned long flags)
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

/*
 * The name of @n into @buf (@bsz bytes), as PROCMAP_QUERY gives it: d_path()
 * (" (deleted)" and all, nothing escaped) or the name; *@name and *@sz (with
 * its NUL) say where it is, *@sz 0 when there is none.
 */
int vmi_vma_name_str(const struct vmi_vma_name *n, char *buf, size_t bsz,
		     const char **name, u32 *sz)
{
	size_t len = 0;

	*name = buf;
	if (n->path) {
		*name = d_path(n->path, buf, bsz);
		if (IS_ERR(*name))
			return PTR_ERR(*name);
		len = buf + bsz - *name;
	} else if (n->name) {
		len = 1 + snprintf(buf, bsz, n->fmt ?: "%s", n->name);
	}
	if (len > bsz)
		return -ENAMETOOLONG;
	*sz = len;
	return 0;
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

/*
 * The x86-64 vsyscall gate area, which /proc/PID/maps lists after the last
 * VMA (get_gate_vma(): a VMA of no process, at VSYSCALL_ADDR) unless the
 * kernel runs with vsyscall=none.  get_gate_vma() and vsyscall_mode are not
 * exported, so the mode is found as the kernel found it: the configured
 * default (LEGACY_VSYSCALL_NONE or _XONLY), overridden by the last valid
 * vsyscall= early parameter of the boot command line (vsyscall_setup(),
 * parsed with next_arg() up to "--", as parse_args() does).  A vsyscall=
 * given only through bootconfig shows in /proc/cmdline but is no early
 * parameter; we would take it.  The gate's
 * flags are map_vsyscall()'s: VM_READ | VM_EXEC for emulate, VM_EXEC for
 * xonly.  0: no gate area.  Set once at module init, read-only after.
 */
static unsigned long vmi_gate_flags __ro_after_init;

#ifdef CONFIG_X86_VSYSCALL_EMULATION
/* The mode a vsyscall= value sets, as vsyscall_setup(); an invalid one, none. */
static void __init vmi_gate_param(const char *val, unsigned long *flags)
{
	if (!strcmp(val, "emulate"))
		*flags = VM_READ | VM_EXEC;
	else if (!strcmp(val, "xonly"))
		*flags = VM_EXEC;
	else if (!strcmp(val, "none"))
		*flags = 0;
}

/*
 * /proc/cmdline holds saved_command_line, which is not exported either.  It
 * is read as the loading process (modprobe, systemd-modules-load) and, if
 * that fails (no procfs there, a chroot, an LSM), by a kworker: with the
 * kernel's credentials, in init's root.
 */
struct vmi_cmdline_work {
	struct work_struct work;
	char *buf;
	ssize_t len;	/* bytes read, or a negative errno */
};

static void __init vmi_read_cmdline(struct vmi_cmdline_work *cw)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n = 0;

	f = filp_open("/proc/cmdline", O_RDONLY | O_NONBLOCK, 0);
	if (IS_ERR(f)) {
		cw->len = PTR_ERR(f);
		return;
	}
	if (file_inode(f)->i_sb->s_magic != PROC_SUPER_MAGIC) {
		cw->len = -EXDEV;	/* something else mounted there */
		goto out;
	}
	cw->len = 0;
	while (cw->len < PAGE_SIZE - 1 &&
	       (n = kernel_read(f, cw->buf + cw->len, PAGE_SIZE - 1 - cw->len, &pos)) > 0)
		cw->len += n;
	if (n < 0)
		cw->len = n;
	else if (cw->len == PAGE_SIZE - 1)
		cw->len = -E2BIG;
	cw->buf[cw->len > 0 ? cw->len : 0] = '\0';
out:
	filp_close(f, NULL);
}

static void __init vmi_read_cmdline_work(struct work_struct *work)
{
	vmi_read_cmdline(container_of(work, struct vmi_cmdline_work, work));
}

int __init vmi_gate_init(void)
{
	/* the configured default (vsyscall_64.c's vsyscall_mode initialiser) */
	unsigned long flags = IS_ENABLED(CONFIG_LEGACY_VSYSCALL_XONLY) ? VM_EXEC : 0;
	struct vmi_cmdline_work cw = { .len = -EINVAL };
	char *args, *param, *val;

	cw.buf = kzalloc(PAGE_SIZE, GFP_KERNEL);	/* COMMAND_LINE_SIZE is 2048 on x86 */
	if (!cw.buf)
		return -ENOMEM;
	vmi_read_cmdline(&cw);
	if (cw.len < 0) {
		INIT_WORK_ONSTACK(&cw.work, vmi_read_cmdline_work);
		schedule_work(&cw.work);
		flush_work(&cw.work);
		destroy_work_on_stack(&cw.work);
	}
	if (cw.len < 0) {
		pr_warn("cannot read /proc/cmdline (%zd): the vsyscall gate area as configured (%s)\n",
			cw.len, flags ? "xonly" : "none");
		goto out;
	}
	args = strim(cw.buf);
	while (*args) {
		args = next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--"))
			break;
		/* an invalid value leaves the mode, as vsyscall_setup() does */
		if (val && !strcmp(param, "vsyscall"))
			vmi_gate_param(val, &flags);
	}
out:
	kfree(cw.buf);
	vmi_gate_flags = flags;
	return 0;
}
#else
int __init vmi_gate_init(void)
{
	return 0;
}
#endif

/* The gate area's vm_flags if /proc/PID/maps of @mm lists it, else 0. */
unsigned long vmi_gate_vma_flags(struct mm_struct *mm)
{
	return mm && vmi_mm_has_vsyscall(mm) ? vmi_gate_flags : 0;
}
