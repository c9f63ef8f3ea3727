/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-notify.h: what fake-notifications.py received ($MW_NOTIFY_LOG, one JSON line per
 * notification), for the notification tests. */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The notifications received so far, as JSON objects. */
JsonArray *mw_test_notify_read_log     (void);
/* A condition for mw_test_wait_until: at least one notification received. */
gboolean   mw_test_notify_one_received (gpointer data);
/* A condition for mw_test_wait_until: the GtkWindow data is active. */
gboolean   mw_test_window_is_active    (gpointer window);

G_END_DECLS
