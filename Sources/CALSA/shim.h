#ifndef LIMBER_CALSA_SHIM_H
#define LIMBER_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#endif
