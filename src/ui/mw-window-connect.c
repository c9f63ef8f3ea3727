/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-window-connect.c: the window's connects and the Reconnect toasts of lost connections. Main
 * thread only.
 *
 * A lost connection gets one Reconnect toast, at normal priority: a high one would push the
 * toast shown aside and show it again later, which libadwaita 1.2 asserts on when that toast
 * has not finished hiding. The toast goes once its connection is connected again, whoever
 * connected it. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-window-private.h"

static void
on_connect_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure is shown by the connection's own state and message, on its row and page. */
  if (!mw_connection_connect_finish (MW_CONNECTION (object), result, &error))
    g_debug ("Connecting to %s failed: %s", mw_connection_get_uri (MW_CONNECTION (object)),
             error->message);
}

void
mw_window_connect (MwWindow     *self,
                   MwConnection *connection)
{
  g_return_if_fail (MW_IS_WINDOW (self));
  g_return_if_fail (MW_IS_CONNECTION (connection));

  if (mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTING ||
      mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTED)
    return;

  mw_connection_connect_async (connection, self->cancellable, on_connect_cb, NULL);
}

/* Reconnect toasts */

static gboolean
is_toast (gpointer key,
          gpointer value,
          gpointer toast)
{
  return value == toast;
}

static void
on_reconnect_toast_dismissed_cb (AdwToast *toast,
                                 MwWindow *self)
{
  if (self->reconnect_toasts != NULL)
    g_hash_table_foreach_remove (self->reconnect_toasts, is_toast, toast);
}

static void
on_connection_lost_cb (MwConnection *connection,
                       const char   *reason,
                       MwWindow     *self)
{
  g_autofree char *title = g_strdup_printf (_("Lost the connection to %s"),
                                            mw_connection_get_title (connection));
  g_autofree char *markup = g_markup_escape_text (title, -1);  /* titles are markup in 1.2 */
  AdwToast *toast;

  /* Its toast is still up or waiting its turn, and says the same. */
  if (g_hash_table_contains (self->reconnect_toasts, connection))
    return;

  toast = adw_toast_new (markup);
  adw_toast_set_button_label (toast, _("_Reconnect"));
  adw_toast_set_action_name (toast, "win.reconnect");
  adw_toast_set_action_target_value (toast,
                                     g_variant_new_string (mw_connection_get_uri (connection)));
  adw_toast_set_timeout (toast, 0);
  g_hash_table_insert (self->reconnect_toasts, g_object_ref (connection), g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_reconnect_toast_dismissed_cb),
                           self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_connection_state_cb (MwConnection *connection,
                        GParamSpec   *pspec,
                        MwWindow     *self)
{
  AdwToast *toast;

  if (mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTED
      && (toast = g_hash_table_lookup (self->reconnect_toasts, connection)) != NULL)
    adw_toast_dismiss (toast);
}

void
mw_window_watch_connection (MwWindow     *self,
                            MwConnection *connection)
{
  g_signal_connect_object (connection, "lost", G_CALLBACK (on_connection_lost_cb), self, 0);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (on_connection_state_cb),
                           self, 0);
}

static gboolean
is_removed (gpointer connection,
            gpointer value,
            gpointer list)
{
  return mw_connection_list_find (list, mw_connection_get_uri (connection)) != connection;
}

void
mw_window_forget_removed_connections (MwWindow *self)
{
  GHashTableIter iter;
  gpointer connection;
  gpointer toast;

  /* A removed connection's toast would reconnect nothing. */
  g_hash_table_iter_init (&iter, self->reconnect_toasts);
  while (g_hash_table_iter_next (&iter, &connection, &toast))
    if (is_removed (connection, toast, self->connections))
      {
        g_object_ref (toast);
        g_hash_table_iter_remove (&iter);
        adw_toast_dismiss (toast);
        g_object_unref (toast);
      }
}

void
mw_window_init_connect (MwWindow *self)
{
  self->reconnect_toasts = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
}

void
mw_window_dispose_connect (MwWindow *self)
{
  g_clear_pointer (&self->reconnect_toasts, g_hash_table_unref);
}
