// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: resolve a process and decide whether the opener may see it.
 *
 * The policy is the one of /proc/PID/maps: mm_access(task,
 * PTRACE_MODE_READ_FSCREDS), checked once at open with the opener's
 * credentials, and for /proc/vmainfo/<nr> also what the path walk to
 * /proc/<nr>/maps decides first: the pid namespace of the procfs mount and
 * its hidepid= option.  ptrace_may_access(), mm_access() and the LSM hook are
 * not exported to modules, so vmi_ptrace_may_access() follows
 * __ptrace_may_access() (kernel/ptrace.c) and the capability module's
 * cap_ptrace_access_check() (security/commoncap.c) step by step; the other
 * security modules cannot be consulted, see Documentation/security.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include "compat.h"
#include "vmainfo.h"

/*
 * ptrace_has_cap() for a mode without PTRACE_MODE_NOAUDIT, as the /proc
 * files use: ns_capable(), audited, and it follows the user-namespace rules
 * of cap_capable() (a capability in an ancestor namespace, or being the
 * owner of the namespace's parent-level creator, counts).
 */
static bool vmi_has_ptrace_cap(struct user_namespace *ns)
{
	return ns_capable(ns, CAP_SYS_PTRACE);
}

/*
 * cap_ptrace_access_check(task, PTRACE_MODE_READ_FSCREDS), the capability
 * module's part of security_ptrace_access_check(): the caller in the very
 * user namespace of the target holding in its effective set (FSCREDS; the
 * permitted set is for REALCREDS) every capability the target may use, or
 * CAP_SYS_PTRACE over the target's user namespace.
 */
static bool vmi_cap_may_read(struct task_struct *task)
{
	const struct cred *cred, *tcred;
	bool ok;

	rcu_read_lock();
	cred = current_cred();
	tcred = __task_cred(task);
	ok = (cred->user_ns == tcred->user_ns &&
	      cap_issubset(tcred->cap_permitted, cred->cap_effective)) ||
	     vmi_has_ptrace_cap(tcred->user_ns);
	rcu_read_unlock();
	return ok;
}

/*
 * ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS) with, of the LSM hook,
 * only the capability module (the others are not reachable from a module).
 * @self_ok: allow one's own thread group (the kernel's first test); a
 * debugfs selection is decided with the opener's credentials only, since the
 * writer may be another task that was handed the file, so it passes false.
 */
static bool vmi_ptrace_may_access(struct task_struct *task, bool self_ok)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok;

	/* "Don't let security modules deny introspection" */
	if (self_ok && same_thread_group(task, current))
		return true;

	task_lock(task);		/* as ptrace_may_access(): task->mm stays */
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->fsuid, tcred->euid) &&
	      uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) &&
	      gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) &&
	      gid_eq(cred->fsgid, tcred->gid)) ||
	     vmi_has_ptrace_cap(tcred->user_ns);
	rcu_read_unlock();
	if (ok) {
		/* creds before dumpable; pairs with commit_creds()'s smp_wmb() */
		smp_rmb();
		ok = vmi_task_still_dumpable(task);
	}
	if (ok)
		ok = vmi_cap_may_read(task);
	task_unlock(task);
	return ok;
}

/*
 * has_pid_permissions(fs_info, task, HIDEPID_NO_ACCESS) of fs/proc/base.c,
 * then what proc_pid_lookup() (hidepid=ptraceable: no such entry) and
 * proc_pid_permission() (invisible: ENOENT, noaccess: EPERM) make of it.
 */
static int vmi_hidepid_check(struct proc_fs_info *fs_info,
			     struct task_struct *task, bool self_ok)
{
	if (fs_info->hide_pid != HIDEPID_NOT_PTRACEABLE) {
		if (fs_info->hide_pid < HIDEPID_NO_ACCESS)
			return 0;
		if (in_group_p(fs_info->pid_gid))
			return 0;
	}
	if (vmi_ptrace_may_access(task, self_ok))
		return 0;
	if (fs_info->hide_pid == HIDEPID_NO_ACCESS)
		return -EPERM;
	return -ENOENT;
}

/*
 * May the opener reach /proc/<nr> of the procfs @sb (the mount the file was
 * opened through) and find there the process of @pid?  As proc_pid_lookup():
 * @nr is a number in the mount's pid namespace, so an entry named by an
 * initial-namespace number opens only where that number names the same
 * process (never another process that has the number in a container), then
 * hidepid= as the path walk applies it.  A process that is gone passes: the
 * open that follows says ESRCH.
 */
int vmi_proc_visible(struct pid *pid, pid_t nr, struct super_block *sb)
{
	struct proc_fs_info *fs_info = proc_sb_info(sb);
	struct task_struct *task;
	int err;

	if (pid_nr_ns(pid, fs_info->pid_ns) != nr)
		return -ENOENT;
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task)
		return 0;
	err = vmi_hidepid_check(fs_info, task, true);
	put_task_struct(task);
	if (err)
		vmi_stat_add(VMI_STAT_ERR_ACCES, 1);
	return err;
}

/*
 * Take the thread-group leader of @pid, check access and pin its mm with
 * mmgrab() (the struct, not the address space: readers mmget_not_zero() it for
 * each chunk, so a file held open does not keep a dead process's memory).
 */
int vmi_target_get(struct vmi_target *t, struct pid *pid)
{
	return vmi_target_get_as(t, pid, true);
}

int vmi_target_get_as(struct vmi_target *t, struct pid *pid, bool self_ok)
{
	struct task_struct *task;
	struct mm_struct *mm;
	int err;

	memset(t, 0, sizeof(*t));
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task) {
		vmi_stat_add(VMI_STAT_ERR_SRCH, 1);
		return -ESRCH;
	}

	/* The number the opener knows it by; the /proc files set the mount's. */
	t->tgid = task_tgid_nr_ns(task, task_active_pid_ns(current));
	get_task_comm(t->comm, task);

	/* Like mm_access(): exclude a concurrent exec changing creds and mm. */
	err = down_read_killable(&task->signal->exec_update_lock);
	if (err)
		goto out_task;

	/*
	 * mm_access(): one's own mm (a vfork() child, CLONE_VM) needs no check,
	 * then ptrace_may_access(), then (6.15+) CAP_PERFMON for a read;
	 * unlike mm_access(), a kernel thread (no mm) is checked too: it is
	 * shown as such, to whom ptrace_may_access() allows.
	 */
	mm = get_task_mm(task);
	if (!(self_ok && mm && mm == current->mm) &&
	    !vmi_ptrace_may_access(task, self_ok) &&
	    !(mm && vmi_mm_access_perfmon())) {
		err = -EACCES;
		goto out_mm;
	}
	if (!mm) {
		/* Kernel thread, or a process past exit_mm(). */
		if (task->flags & PF_KTHREAD) {
			t->kthread = true;
			err = 0;
		} else {
			err = -ESRCH;
		}
		goto out_unlock;
	}
	mmgrab(mm);
	t->mm = mm;
	t->pid = get_pid(pid);
	err = 0;
out_mm:
	if (mm)
		mmput(mm);
out_unlock:
	up_read(&task->signal->exec_update_lock);
out_task:
	put_task_struct(task);
	if (err == -EACCES)
		vmi_stat_add(VMI_STAT_ERR_ACCES, 1);
	else if (err == -ESRCH)
		vmi_stat_add(VMI_STAT_ERR_SRCH, 1);
	return err;
}

/*
 * Select by pid number, in the writer's pid namespace as kill(2) and
 * pidfd_open(2) take it (find_get_pid()), for an open @file, with the
 * credentials of the task that opened it: a setuid program handed the file as
 * its output must not select with its own rights.  Through procfs
 * (/proc/vmainfo/query), the mount's hidepid= applies as to /proc/<nr>, and
 * a process that has no number in the mount's pid namespace is ENOENT.
 */
int vmi_target_get_nr(struct vmi_target *t, pid_t nr, struct file *file)
{
	struct super_block *sb = file_inode(file)->i_sb;
	struct task_struct *task;
	const struct cred *old;
	struct pid *pid;
	int err = 0;

	if (nr <= 0)
		return -EINVAL;
	pid = find_get_pid(nr);
	if (!pid) {
		vmi_stat_add(VMI_STAT_ERR_SRCH, 1);
		return -ESRCH;
	}
	old = override_creds(file->f_cred);
	if (sb->s_magic == PROC_SUPER_MAGIC &&
	    !pid_nr_ns(pid, proc_sb_info(sb)->pid_ns)) {
		/*
		 * Not in the pid namespace of the procfs the file was opened
		 * through: that mount's hidepid= cannot speak for it (a query
		 * file of a container's own procfs, opened from the host).
		 */
		err = -ENOENT;
	} else if (sb->s_magic == PROC_SUPER_MAGIC) {
		task = get_pid_task(pid, PIDTYPE_TGID);
		if (task) {
			err = vmi_hidepid_check(proc_sb_info(sb), task, false);
			put_task_struct(task);
			if (err)
				vmi_stat_add(VMI_STAT_ERR_ACCES, 1);
		}
	}
	if (!err)
		err = vmi_target_get_as(t, pid, false);
	revert_creds(old);
	put_pid(pid);
	return err;
}

void vmi_target_put(struct vmi_target *t)
{
	if (t->mm)
		mmdrop(t->mm);
	put_pid(t->pid);
	t->mm = NULL;
	t->pid = NULL;
}
