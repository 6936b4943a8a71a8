// The scheduler's per-thread attributes (sched_getattr/sched_setattr), which glibc 2.36 does
// not wrap and Swift cannot call through the variadic syscall(2).
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct limber_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
};

// Asks for `nanoseconds` as the calling thread's time slice under the fair scheduler
// (EEVDF, Linux 6.12 and later read `sched_runtime` as the slice; the kernel clamps it to
// 0.1-100 ms), keeping its policy and nice value. A shorter slice gives an earlier virtual
// deadline, so that the thread, when it wakes, preempts a CPU-bound task at once instead of
// at the next tick. Returns 0, or -1 with errno set (older kernels take and ignore it).
static inline int limber_set_fair_slice(uint64_t nanoseconds) {
    struct limber_sched_attr attr;
    memset(&attr, 0, sizeof attr);
    if (syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) != 0) return -1;
    if (attr.sched_policy != 0) return 0;  // not SCHED_OTHER: leave it alone
    attr.size = sizeof attr;
    attr.sched_flags = 0;
    attr.sched_runtime = nanoseconds;
    return (int)syscall(SYS_sched_setattr, 0, &attr, 0);
}
