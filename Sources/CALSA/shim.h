#ifndef LIMBER_CALSA_SHIM_H
#define LIMBER_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#include <stdarg.h>
#include <stdio.h>
/* malloc_trim, for the playback thread to return a session's freed pages, and mallopt for
   FreedMemory (Glibc's Swift module does not export malloc.h). */
#include <malloc.h>

/// A non-variadic receiver for ALSA's library error messages (already formatted).
typedef void (*limber_alsa_error_sink)(const char *file, int line, const char *function,
                                       int err, const char *message);

/// The installed receiver. Static: only LimberAudio imports this header, and it installs
/// the sink from a single place, so the trampoline and the variable share one object file.
static limber_alsa_error_sink limber_alsa_error_sink_target __attribute__((unused)) = 0;

/// ALSA's handler is variadic, which Swift cannot implement: format here, forward the text.
static inline void limber_alsa_error_trampoline(const char *file, int line, const char *function,
                                                int err, const char *fmt, ...) {
    char message[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    limber_alsa_error_sink sink = limber_alsa_error_sink_target;
    if (sink) {
        sink(file, line, function, err, message);
    }
}

/// Routes ALSA's error printing to `sink` (NULL restores ALSA's default stderr printer).
static inline int limber_alsa_set_error_sink(limber_alsa_error_sink sink) {
    limber_alsa_error_sink_target = sink;
    return snd_lib_error_set_handler(sink ? limber_alsa_error_trampoline : NULL);
}

#endif
