/* util/compiler.h — compiler hints shared by the hot paths (inlining), with plain fallbacks. */
#ifndef WHEA_UTIL_COMPILER_H
#define WHEA_UTIL_COMPILER_H

/* Forces inlining of small hot helpers where the compiler allows it. */
#if defined(__GNUC__)
#define WHEA_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define WHEA_ALWAYS_INLINE inline
#endif

#endif
