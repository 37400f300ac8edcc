// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: resolve a process and decide whether the opener may see it.
 *
 * The policy is the one of /proc/PID/maps, ptrace_may_access(task,
 * PTRACE_MODE_READ_FSCREDS), checked once at open with the opener's
 * credentials.  ptrace_may_access() and mm_access() are not exported to
 * modules, so vmi_may_read() follows __ptrace_may_access() in
 * kernel/ptrace.c step by step; the one part it cannot follow is the LSM hook
 * (security_ptrace_access_check), see Documentation/security.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include "vmainfo.h"

static bool vmi_has_ptrace_cap(struct user_namespace *ns)
{
	return ns_capable_noaudit(ns, CAP_SYS_PTRACE);
}

/*
 * __ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS) without the LSM hook.
 * @self_ok: the caller is the task that will read (an open); a debugfs
 * selection decides with the opener's credentials only, since the writer
 * may be another task that was handed the file.
 */
static bool vmi_may_read(struct task_struct *task, struct mm_struct *mm, bool self_ok)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok = false;

	/* mm_access(): one's own thread group, or one's own mm (vfork, CLONE_VM) */
	if (self_ok && (same_thread_group(task, current) || (mm && mm == current->mm)))
		return true;

	rcu_read_lock();
	tcred = __task_cred(task);
	if (uid_eq(cred->fsuid, tcred->euid) &&
	    uid_eq(cred->fsuid, tcred->suid) &&
	    uid_eq(cred->fsuid, tcred->uid) &&
	    gid_eq(cred->fsgid, tcred->egid) &&
	    gid_eq(cred->fsgid, tcred->sgid) &&
	    gid_eq(cred->fsgid, tcred->gid))
		ok = true;
	else if (vmi_has_ptrace_cap(tcred->user_ns))
		ok = true;
	rcu_read_unlock();
	if (!ok)
		return false;
	smp_rmb();	/* creds before dumpable, as __ptrace_may_access() */

	/* A process that is not dumpable is shown only to CAP_SYS_PTRACE. */
	if (mm && get_dumpable(mm) != SUID_DUMP_USER &&
	    !vmi_has_ptrace_cap(mm->user_ns))
		return false;
	return true;
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

	t->tgid = task_tgid_nr(task);
	get_task_comm(t->comm, task);

	/* Like mm_access(): exclude a concurrent exec changing creds and mm. */
	err = down_read_killable(&task->signal->exec_update_lock);
	if (err)
		goto out_task;

	mm = get_task_mm(task);
	if (!vmi_may_read(task, mm, self_ok)) {
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
 * Select by pid number (in the writer's pid namespace, as /proc does) for an
 * open @file, with the credentials of the task that opened it: a setuid
 * program handed the file as its output must not select with its own rights.
 */
int vmi_target_get_nr(struct vmi_target *t, pid_t nr, struct file *file)
{
	const struct cred *old;
	struct pid *pid;
	int err;

	if (nr <= 0)
		return -EINVAL;
	pid = find_get_pid(nr);
	if (!pid) {
		vmi_stat_add(VMI_STAT_ERR_SRCH, 1);
		return -ESRCH;
	}
	old = override_creds(file->f_cred);
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
