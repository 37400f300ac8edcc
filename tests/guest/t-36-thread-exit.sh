# Thread-stack labels while traced threads exit: each exiting thread stays a
# zombie (its kernel stack freed) until its tracer waits for it, while
# /proc/vmainfo reads the process.  The reads must all succeed and the kernel
# log stay clean (KFENCE samples on 6.12).  Kernel stacks are vmalloc'd
# (VMAP_STACK) and KFENCE does not cover them: this shows the reads stay
# correct and quiet, it could not show a stale stack read of the old code.
dmesg -c > /dev/null
ptexit ${PTEXIT_SECS:-20} > /tmp/ptexit.out 2>&1
rc=$?
t "ptraced zombie threads: ${PTEXIT_SECS:-20} s of reads as threads exit ($(tr '\n' ' ' < /tmp/ptexit.out))" test $rc = 0
dmesg_clean "ptraced zombie threads"
