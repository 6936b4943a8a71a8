#ifndef LIMBER_CESPEAKNG_SHIM_H
#define LIMBER_CESPEAKNG_SHIM_H
#include <espeak-ng/speak_lib.h>
#include <stdlib.h>
#include <string.h>

/// Samples espeak-ng hands back in synchronous mode, gathered into one growing buffer.
typedef struct {
    short *data;
    size_t count;
    size_t capacity;
    int failed;
} limber_espeak_pcm;

/// espeak-ng's synthesis callback: appends each chunk to the buffer given as user data.
/// Returns 0 to go on, 1 to abort (out of memory).
static int limber_espeak_collect(short *wav, int count, espeak_EVENT *events) {
    if (wav == NULL || count <= 0 || events == NULL) return 0;
    limber_espeak_pcm *pcm = (limber_espeak_pcm *)events->user_data;
    if (pcm == NULL) return 0;
    if (pcm->count + (size_t)count > pcm->capacity) {
        size_t capacity = pcm->capacity ? pcm->capacity * 2 : 65536;
        while (capacity < pcm->count + (size_t)count) capacity *= 2;
        short *grown = (short *)realloc(pcm->data, capacity * sizeof(short));
        if (grown == NULL) {
            pcm->failed = 1;
            return 1;
        }
        pcm->data = grown;
        pcm->capacity = capacity;
    }
    memcpy(pcm->data + pcm->count, wav, (size_t)count * sizeof(short));
    pcm->count += (size_t)count;
    return 0;
}

/// Initialises espeak-ng for synthesis into memory; its sample rate, or a negative error.
static inline int limber_espeak_initialize(const char *data_path) {
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, espeakINITIALIZE_DONT_EXIT);
    if (rate > 0) espeak_SetSynthCallback(limber_espeak_collect);
    return rate;
}

/// Speaks `text` (UTF-8) into `pcm`; espeak-ng's error code (EE_OK is 0).
static inline int limber_espeak_speak(const char *text, limber_espeak_pcm *pcm) {
    espeak_ERROR result = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, pcm);
    if (result == EE_OK) result = espeak_Synchronize();
    return (int)result;
}
#endif
