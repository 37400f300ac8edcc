/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmainfo: what the module's text files promise to readers.  Shared by the
 * module and the userspace CLI; no kernel types, no kernel pointers.
 */
#ifndef _VMAINFO_ABI_H
#define _VMAINFO_ABI_H

/* Bumped on any incompatible change of /proc/vmainfo/<pid> or the debugfs files. */
#define VMAINFO_FORMAT_VERSION 1

/* Where the module publishes. */
#define VMAINFO_PROC_DIR	"vmainfo"		/* /proc/vmainfo/<pid>, /proc/vmainfo/self */
#define VMAINFO_DEBUGFS_DIR	"vmainfo"		/* /sys/kernel/debug/vmainfo/ */

/*
 * VMA kinds, the 7th column of a VMA line.  Order of the decision is
 * documented in Documentation/proc-vmainfo.rst.
 */
#define VMAINFO_KINDS(X)			\
	X(TEXT,		"text")			\
	X(DATA,		"data")			\
	X(BSS,		"bss")			\
	X(HEAP,		"heap")			\
	X(STACK,	"stack")		\
	X(THREAD_STACK,	"thread-stack")		\
	X(VDSO,		"vdso")			\
	X(VVAR,		"vvar")			\
	X(VSYSCALL,	"vsyscall")		\
	X(SPECIAL,	"special")		\
	X(ANON_PRIVATE,	"anon-private")		\
	X(ANON_SHARED,	"anon-shared")		\
	X(FILE_PRIVATE,	"file-private")		\
	X(FILE_SHARED,	"file-shared")

#define VMAINFO_KIND_ENUM(e, s) VMAINFO_KIND_##e,
enum vmainfo_kind { VMAINFO_KINDS(VMAINFO_KIND_ENUM) VMAINFO_KIND_NR };
#undef VMAINFO_KIND_ENUM

#endif /* _VMAINFO_ABI_H */
