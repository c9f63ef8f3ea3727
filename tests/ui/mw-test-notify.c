/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-notify.c: what fake-notifications.py received, for the notification tests. */
#include "mw-test-notify.h"

JsonArray *
mw_test_notify_read_log (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *records = json_array_new ();

  g_assert_true (g_file_get_contents (g_getenv ("MW_NOTIFY_LOG"), &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      json_array_add_element (records, g_steal_pointer (&node));
    }

  return records;
}

gboolean
mw_test_notify_one_received (gpointer data)
{
  g_autoptr(JsonArray) records = mw_test_notify_read_log ();

  return json_array_get_length (records) >= 1;
}

gboolean
mw_test_window_is_active (gpointer window)
{
  return gtk_window_is_active (window);
}
