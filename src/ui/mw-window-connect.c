/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-window-connect.c: the window's connects, why a connection is not connected, and the
 * Reconnect toasts of lost ones. Main thread only.
 *
 * Each connect the window starts has its own GCancellable (win.cancel-connect, the Cancel of the
 * connecting page; removing the connection; closing the window). Cancelling it also withdraws a
 * credentials dialog the attempt has open (mw-credentials-prompt.h). When an attempt ends
 * without an error message of its own, the window notes why: cancelled, or no credentials were
 * given; the note goes as soon as the connection is anything but not connected.
 *
 * A lost connection gets one Reconnect toast, at normal priority: a high one would push the
 * toast shown aside and show it again later, which libadwaita 1.2 asserts on when that toast
 * has not finished hiding. The toast goes once its connection is connected again, whoever
 * connected it. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-window-private.h"

typedef struct
{
  GWeakRef window;
  GCancellable *cancellable;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_weak_ref_clear (&attempt->window);
  g_object_unref (attempt->cancellable);
  g_free (attempt);
}

MwWindowNote
mw_window_get_note (MwWindow     *self,
                    MwConnection *connection)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (self->notes, connection));
}

gboolean
mw_window_can_cancel_connect (MwWindow     *self,
                              MwConnection *connection)
{
  return mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTING
         && g_hash_table_contains (self->attempts, connection);
}

static void
on_connect_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  MwConnection *connection = MW_CONNECTION (object);
  Attempt *attempt = user_data;
  g_autoptr(MwWindow) self = g_weak_ref_get (&attempt->window);
  g_autoptr(GError) error = NULL;

  /* A failure is shown by the connection's own state and message, on its row and page. */
  if (!mw_connection_connect_finish (connection, result, &error))
    g_debug ("Connecting to %s failed: %s", mw_connection_get_uri (connection), error->message);

  if (self != NULL && self->attempts != NULL)
    {
      if (g_hash_table_lookup (self->attempts, connection) == attempt->cancellable)
        g_hash_table_remove (self->attempts, connection);

      /* Ended with nothing to say of its own: the person chose so, one way or the other. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && mw_connection_get_state (connection) == MW_CONNECTION_STATE_DISCONNECTED
          && mw_connection_get_error_message (connection) == NULL)
        g_hash_table_insert (self->notes, g_object_ref (connection),
                             GINT_TO_POINTER (g_cancellable_is_cancelled (attempt->cancellable)
                                              ? MW_WINDOW_NOTE_CANCELLED
                                              : MW_WINDOW_NOTE_DECLINED));
      mw_window_update_content (self);
    }

  attempt_free (attempt);
}

void
mw_window_connect (MwWindow     *self,
                   MwConnection *connection)
{
  Attempt *attempt;

  g_return_if_fail (MW_IS_WINDOW (self));
  g_return_if_fail (MW_IS_CONNECTION (connection));

  if (mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTING ||
      mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTED)
    return;

  attempt = g_new0 (Attempt, 1);
  g_weak_ref_init (&attempt->window, self);
  attempt->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->attempts, g_object_ref (connection),
                       g_object_ref (attempt->cancellable));
  g_hash_table_remove (self->notes, connection);
  mw_connection_connect_async (connection, attempt->cancellable, on_connect_cb, attempt);
}

void
mw_window_cancel_connect (MwWindow     *self,
                          MwConnection *connection)
{
  GCancellable *cancellable = g_hash_table_lookup (self->attempts, connection);

  if (cancellable == NULL || g_cancellable_is_cancelled (cancellable))
    return;
  /* Said at once: the connection lets the attempt go before libvirt comes back. */
  g_hash_table_insert (self->notes, g_object_ref (connection),
                       GINT_TO_POINTER (MW_WINDOW_NOTE_CANCELLED));
  g_cancellable_cancel (cancellable);
}

void
mw_window_cancel_connects (MwWindow *self)
{
  GHashTableIter iter;
  gpointer cancellable;

  if (self->attempts == NULL)
    return;
  g_hash_table_iter_init (&iter, self->attempts);
  while (g_hash_table_iter_next (&iter, NULL, &cancellable))
    g_cancellable_cancel (cancellable);
}

static void
cancel_connect_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);

  if (self->selected != NULL)
    mw_window_cancel_connect (self, self->selected);
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
  MwConnectionState state = mw_connection_get_state (connection);
  AdwToast *toast;

  if (state != MW_CONNECTION_STATE_DISCONNECTED)
    g_hash_table_remove (self->notes, connection);
  if (state == MW_CONNECTION_STATE_CONNECTED
      && (toast = g_hash_table_lookup (self->reconnect_toasts, connection)) != NULL)
    adw_toast_dismiss (toast);
  /* All Connections shows what every connection's state adds up to (issue #10: "None of the
   * connected hosts has a domain" stayed up while both hosts were connecting). Not once the
   * window is disposed: its models are gone. */
  if (self->selected == NULL && self->filter_model != NULL)
    mw_window_update_content (self);
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

  g_hash_table_foreach_remove (self->notes, is_removed, self->connections);
  g_hash_table_foreach_remove (self->attempts, is_removed, self->connections);
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
  self->attempts = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->notes = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->reconnect_toasts = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
}

void
mw_window_dispose_connect (MwWindow *self)
{
  mw_window_cancel_connects (self);
  g_clear_pointer (&self->attempts, g_hash_table_unref);
  g_clear_pointer (&self->notes, g_hash_table_unref);
  g_clear_pointer (&self->reconnect_toasts, g_hash_table_unref);
}

void
mw_window_class_init_connect (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.cancel-connect", NULL,
                                   cancel_connect_action);
}
