/* format/thread_exit.h — frees the buffers a thread keeps for the JSON encoders (per-thread
 * arenas grown with realloc) when that thread exits, so that short-lived threads leak nothing. */
#ifndef WHEA_FORMAT_THREAD_EXIT_H
#define WHEA_FORMAT_THREAD_EXIT_H

/* A function that frees the calling thread's buffers of one module (and may run when it has none). */
typedef void (*whea_thread_exit_fn)(void);

/* Makes fn run in the calling thread when it exits. Call it when the thread first allocates what
 * fn frees; calling it again is cheap. At most a few modules (WHEA_THREAD_EXIT_MAX) register. */
void whea_thread_exit_register(whea_thread_exit_fn fn);

#endif
