/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-core.h: waiting for main-loop results in the unit tests. */
#pragma once

#include <string.h>

#include <glib.h>

#define MW_TEST_TIMEOUT_S 10

static inline gboolean
mw_test_on_wake_cb (gpointer user_data)
{
  /* Only wakes g_main_context_iteration so the condition is checked again. */
  return G_SOURCE_CONTINUE;
}

/* Iterates the default main context until condition holds; aborts the test after
 * MW_TEST_TIMEOUT_S seconds instead of hanging. */
#define mw_test_wait_until(condition)                                                   \
  G_STMT_START                                                                          \
  {                                                                                     \
    gint64 mw_deadline = g_get_monotonic_time () + MW_TEST_TIMEOUT_S * G_USEC_PER_SEC;  \
    guint mw_wake_id = g_timeout_add (20, mw_test_on_wake_cb, NULL);                    \
    while (!(condition))                                                                \
      {                                                                                 \
        if (g_get_monotonic_time () > mw_deadline)                                      \
          g_error ("Timed out waiting for: %s", #condition);                            \
        g_main_context_iteration (NULL, TRUE);                                          \
      }                                                                                 \
    g_source_remove (mw_wake_id);                                                       \
  }                                                                                     \
  G_STMT_END

/* Runs the default main context for a while, for asserting that something does NOT happen. */
static inline void
mw_test_iterate_for (guint milliseconds)
{
  gint64 deadline = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (10, mw_test_on_wake_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
}

/* Whether pid is gone: no such process, or a zombie. SIGKILL is delivered asynchronously and a
 * killed grandchild is reaped by someone else, so this gives it up to 2 s. */
static inline gboolean
mw_test_pid_gone (int pid)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
      g_autofree char *stat = NULL;
      const char *paren;

      if (!g_file_get_contents (path, &stat, NULL, NULL))
        return TRUE;
      paren = strrchr (stat, ')');
      if (paren != NULL && (paren[2] == 'Z' || paren[2] == 'X'))
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}
