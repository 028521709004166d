/* What the two halves of the native spawner addon share (native-spawn.c, native-output.c). */
#ifndef SUPERVISORD_NATIVE_ADDON_H
#define SUPERVISORD_NATIVE_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

/* Throws an Error whose `code` is the errno name ("ENOENT") and `errno` its number; returns NULL. */
napi_value throw_errno(napi_env env, int err, const char *what);

/* The first n arguments of the current call (missing ones read as undefined); returns how many were given. */
static inline size_t get_args(napi_env env, napi_callback_info info, size_t n, napi_value *args) {
  size_t argc = n;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  return argc;
}

/* An int32 argument; -1 when it is not a number. */
static inline int32_t int32_arg(napi_env env, napi_value value) {
  int32_t x = -1;
  napi_get_value_int32(env, value, &x);
  return x;
}

/* A boolean argument; false when it is not a boolean. */
static inline bool bool_arg(napi_env env, napi_value value) {
  bool b = false;
  napi_get_value_bool(env, value, &b);
  return b;
}

/* Adds readerOpen/readerPause/readerSink/readerClose (native-output.c) to the exports. */
void output_register(napi_env env, napi_value exports);

#endif
