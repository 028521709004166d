/* What the two halves of the native spawner addon share (native-spawn.c, native-output.c). */
#ifndef SUPERVISORD_NATIVE_ADDON_H
#define SUPERVISORD_NATIVE_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

/* Throws an Error whose `code` is the errno name ("ENOENT") and `errno` its number; returns NULL. */
napi_value throw_errno(napi_env env, int err, const char *what);

/* Adds readerOpen/readerPause/readerSink/readerClose (native-output.c) to the exports. */
void output_register(napi_env env, napi_value exports);

#endif
