#ifndef LIMBER_CSYSTEMD_SHIM_H
#define LIMBER_CSYSTEMD_SHIM_H
/* sd-bus, for logind presence and desktop notifications. Only the non-variadic calls are
   used from Swift (append_basic, read_basic, containers), so no trampolines are needed. */
#include <systemd/sd-bus.h>
#include <poll.h>
#include <sys/eventfd.h>
#endif
