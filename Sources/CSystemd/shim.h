#ifndef LIMBER_CSYSTEMD_SHIM_H
#define LIMBER_CSYSTEMD_SHIM_H
/* sd-bus, for logind presence and desktop notifications. Only sd-bus's non-variadic calls
   are used from Swift (append_basic, read_basic, containers). */
#include <systemd/sd-bus.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>

/// Names the calling thread (15 bytes at most), as `top -H` and /proc show it. prctl is
/// variadic, which Swift cannot call, and Foundation's Thread.name leaves the name the
/// thread inherited from its creator.
static inline int limber_name_this_thread(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}
#endif
