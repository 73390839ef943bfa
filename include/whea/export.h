/* whea/export.h — symbol visibility: only what is marked WHEA_API leaves the shared library. */
#ifndef WHEA_EXPORT_H
#define WHEA_EXPORT_H
#if defined(WHEA_BUILDING_LIBRARY) && defined(__GNUC__)
#define WHEA_API __attribute__((visibility("default")))
#else
#define WHEA_API
#endif
#endif
