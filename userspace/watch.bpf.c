// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo watch, BPF side: brk, mmap, munmap, mremap, mprotect and madvise of
 * one thread group, from the syscall tracepoints, as one ring-buffer event per
 * completed call; optionally first-touch page faults per page.
 *
 * The tracepoint contexts are declared with preserve_access_index, so libbpf
 * relocates every field against the running kernel's BTF (CO-RE): one object
 * serves 6.1, 6.12 and 7.2.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "watch.h"

char LICENSE[] SEC("license") = "GPL";

struct syscall_trace_enter {
	int nr;
	unsigned long args[6];
} __attribute__((preserve_access_index));

struct syscall_trace_exit {
	int nr;
	long ret;
} __attribute__((preserve_access_index));

#if defined(__TARGET_ARCH_x86)
/*
 * exceptions/page_fault_user: the event class is x86_exceptions up to 6.x
 * (arch/x86), exceptions in 7.x (include/trace/events/exceptions.h, shared
 * with riscv); the fields are the same.  Both are declared, and the one the
 * running kernel's BTF has is used (bpf_core_type_exists(); libbpf poisons
 * the relocations of the other branch, which the verifier drops as dead).
 * The fields are read with BPF_CORE_READ (bpf_probe_read_kernel()): with
 * direct loads the compiler merges the two branches into one load from a
 * computed ctx offset, which the verifier refuses.
 */
struct trace_event_raw_x86_exceptions {
	unsigned long address;
	unsigned long ip;
	unsigned long error_code;
} __attribute__((preserve_access_index));

struct trace_event_raw_exceptions {
	unsigned long address;
	unsigned long ip;
	unsigned long error_code;
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_arm64)
#include <asm/ptrace.h>		/* struct user_pt_regs, the kprobe context (bpf_tracing.h) */
#include <bpf/bpf_tracing.h>
#endif

const volatile __u32 targ_tgid = 0;

struct pending {
	__u64 ts;
	__u32 kind;
	__u64 args[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WATCH_MAX_INFLIGHT);
	__type(key, __u32);
	__type(value, struct pending);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* [0] events lost because the ring buffer was full */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* first-touch faults: page address -> count */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 16);
	__type(key, __u64);
	__type(value, __u64);
} faults SEC(".maps");

/*
 * Read only the arguments this syscall has: a tracepoint program may not read
 * past its event's record (perf_event_set_bpf_prog() checks max_ctx_offset).
 */
static __always_inline int on_enter(struct syscall_trace_enter *ctx, __u32 kind, int nargs)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct pending p = {};

	if ((id >> 32) != targ_tgid)
		return 0;
	p.ts = bpf_ktime_get_ns();
	p.kind = kind;
	p.args[0] = ctx->args[0];
	if (nargs > 1)
		p.args[1] = ctx->args[1];
	if (nargs > 2)
		p.args[2] = ctx->args[2];
	if (nargs > 3)
		p.args[3] = ctx->args[3];
	if (nargs > 4)
		p.args[4] = ctx->args[4];
	if (nargs > 5)
		p.args[5] = ctx->args[5];
	bpf_map_update_elem(&inflight, &tid, &p, BPF_ANY);
	return 0;
}

static __always_inline int on_exit(struct syscall_trace_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, zero = 0;
	struct watch_event *e;
	struct pending *p;
	__u64 *d;

	if ((id >> 32) != targ_tgid)
		return 0;
	p = bpf_map_lookup_elem(&inflight, &tid);
	if (!p)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		d = bpf_map_lookup_elem(&drops, &zero);
		if (d)
			__sync_fetch_and_add(d, 1);
		bpf_map_delete_elem(&inflight, &tid);
		return 0;
	}
	e->ts = bpf_ktime_get_ns();
	e->dur = e->ts - p->ts;
	e->tgid = id >> 32;
	e->tid = tid;
	e->kind = p->kind;
	e->pad = 0;
	__builtin_memcpy(e->args, p->args, sizeof(e->args));
	e->ret = ctx->ret;
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&inflight, &tid);
	return 0;
}

#define WATCH(name, kind, nargs)						\
SEC("tracepoint/syscalls/sys_enter_" #name)					\
int enter_##name(struct syscall_trace_enter *ctx) { return on_enter(ctx, kind, nargs); } \
SEC("tracepoint/syscalls/sys_exit_" #name)					\
int exit_##name(struct syscall_trace_exit *ctx) { return on_exit(ctx); }

WATCH(brk, WK_BRK, 1)
WATCH(mmap, WK_MMAP, 6)
WATCH(munmap, WK_MUNMAP, 2)
WATCH(mremap, WK_MREMAP, 5)
WATCH(mprotect, WK_MPROTECT, 3)
WATCH(madvise, WK_MADVISE, 3)

/* the faults are counted per 4 KiB page, on every architecture */
#define FAULT_PAGE_SIZE	4096ULL

static __always_inline void count_fault(__u64 address)
{
	__u64 page = address & ~(FAULT_PAGE_SIZE - 1), one = 1, *n;

	n = bpf_map_lookup_elem(&faults, &page);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&faults, &page, &one, BPF_NOEXIST);
}

#if defined(__TARGET_ARCH_x86)
/* arch/x86/include/asm/trap_pf.h: bit 0 of the error code, page was present */
#define X86_PF_PROT	(1ULL << 0)

/* x86: the user page-fault tracepoint, under either event class (above) */
SEC("tracepoint/exceptions/page_fault_user")
int page_fault(void *ctx)
{
	__u64 address, error_code;

	if ((bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return 0;
	if (bpf_core_type_exists(struct trace_event_raw_exceptions)) {
		struct trace_event_raw_exceptions *e = ctx;

		address = BPF_CORE_READ(e, address);
		error_code = BPF_CORE_READ(e, error_code);
	} else {
		struct trace_event_raw_x86_exceptions *e = ctx;

		address = BPF_CORE_READ(e, address);
		error_code = BPF_CORE_READ(e, error_code);
	}
	if (error_code & X86_PF_PROT)	/* protection fault: page was present */
		return 0;
	count_fault(address);
	return 0;
}
#elif defined(__TARGET_ARCH_arm64)
/*
 * arm64 has no page-fault tracepoint, and its fault handlers
 * (do_translation_fault(), do_page_fault()) are __kprobes, which kprobes
 * refuse.  So: a kprobe on handle_mm_fault(vma, address, flags, regs), the
 * generic entry every fault takes, for faults taken in user mode
 * (FAULT_FLAG_USER, include/linux/mm_types.h).  That also counts a
 * permission fault on a page already present (a write to a page read
 * before, copy-on-write), which x86's error code lets us leave out; the
 * count is per page, so such a page is counted once all the same.
 */
#define VMI_FAULT_FLAG_USER	(1U << 6)
SEC("kprobe/handle_mm_fault")
int BPF_KPROBE(page_fault, void *vma, unsigned long address, unsigned int flags)
{
	if ((bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return 0;
	if (!(flags & VMI_FAULT_FLAG_USER))
		return 0;
	count_fault(address);
	return 0;
}
#else
#error "watch.bpf.c: x86 or arm64 (-D__TARGET_ARCH_...)"
#endif
