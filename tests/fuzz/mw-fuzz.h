/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-fuzz.h: what every fuzz target shares. Each target defines LLVMFuzzerTestOneInput; libFuzzer
 * drives it in the `fuzz` suite (clang, -Dfuzzing=true), mw-fuzz-replay.c feeds it the committed
 * corpus in the `unit` suite (any compiler). A broken invariant aborts, as a crash would. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Prints and aborts (SIGABRT, which libFuzzer catches and saves the input for; GLib's own
 * fatal messages raise SIGTRAP, which it does not). */
#define mw_fuzz_fail(...)                                                               \
  G_STMT_START                                                                          \
  {                                                                                     \
    fprintf (stderr, __VA_ARGS__);                                                      \
    fputc ('\n', stderr);                                                               \
    abort ();                                                                           \
  }                                                                                     \
  G_STMT_END

/* A broken invariant: libFuzzer saves the input, the replay names the file. */
#define mw_fuzz_check(condition)                                                        \
  G_STMT_START                                                                          \
  {                                                                                     \
    if (G_UNLIKELY (!(condition)))                                                      \
      mw_fuzz_fail ("%s:%d: invariant broken: %s", __FILE__, __LINE__, #condition);     \
  }                                                                                     \
  G_STMT_END

/* The input as a string: up to the first NUL, as a C caller would see it. */
static inline char *
mw_fuzz_string (const uint8_t *data,
                size_t         size)
{
  return g_strndup ((const char *) data, size);
}

static inline void
mw_fuzz_on_log_cb (const char     *domain,
                   GLogLevelFlags  level,
                   const char     *message,
                   gpointer        user_data)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0)
    mw_fuzz_fail ("%s: %s", domain != NULL ? domain : "", message);
}

/* Warnings and criticals are bugs too (the app runs with fatal-warnings in its tests). */
static inline void
mw_fuzz_init (void)
{
  g_log_set_default_handler (mw_fuzz_on_log_cb, NULL);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
}

/* Every message a person may see is valid UTF-8 and not absurdly long, whatever came in. */
static inline void
mw_fuzz_check_message (const GError *error)
{
  mw_fuzz_check (error != NULL && error->message != NULL && *error->message != '\0');
  mw_fuzz_check (g_utf8_validate (error->message, -1, NULL));
  mw_fuzz_check (strlen (error->message) < 2048);
}
