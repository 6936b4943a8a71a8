#ifndef LIMBER_CSOXR_SHIM_H
#define LIMBER_CSOXR_SHIM_H
#include <soxr.h>
#endif
