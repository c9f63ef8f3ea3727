/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-window.c: connections in a sidebar, the domains of the selected one (or of all) beside it.
 *
 * The domain list (mw-window-domain-list.c) is a pipeline of list models, all on the main
 * thread:
 *   connections ─map→ each connection's domains ─flatten→ all domains
 *   (or the selected connection's domains) ─filter (name)→ sort (column view) → selection
 * The models are kept current by libvirt events in MwConnection; nothing here polls.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-add-connection-dialog.h"
#include "mw-add-host-wizard.h"
#include "mw-connection-row.h"
#include "mw-core-enums.h"
#include "mw-host-setup-window.h"
#include "mw-migration-wizard.h"
#include "mw-window-private.h"


G_DEFINE_FINAL_TYPE (MwWindow, mw_window, ADW_TYPE_APPLICATION_WINDOW)

/* The sidebar's first row stands for every connection; it is this one string object. */
#define ALL_CONNECTIONS_ID "all"

static void mw_window_bind_application (MwWindow *self);

MwWindow *
mw_window_new (MwApplication *application)
{
  MwWindow *self;

  g_return_val_if_fail (MW_IS_APPLICATION (application), NULL);

  /* "application" is not a construct property, so it is set only after constructed(): the
   * models that come from the application are bound here. */
  self = g_object_new (MW_TYPE_WINDOW, "application", application, NULL);
  mw_window_bind_application (self);
  return self;
}

MwConnection *
mw_window_get_selected_connection (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return self->selected;
}

GListModel *
mw_window_get_visible_domains (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->sort_model);
}

void
mw_window_set_filter_text (MwWindow   *self,
                           const char *text)
{
  g_return_if_fail (MW_IS_WINDOW (self));

  gtk_toggle_button_set_active (self->search_button, text != NULL && *text != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* search-changed is delayed for typing; apply now so callers see the result at once. */
  gtk_string_filter_set_search (self->name_filter, text);
}

static GtkListBoxRow *
find_row (MwWindow     *self,
          MwConnection *connection)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (connection == NULL && !MW_IS_CONNECTION_ROW (child))
        return GTK_LIST_BOX_ROW (child);
      if (connection != NULL && MW_IS_CONNECTION_ROW (child) &&
          mw_connection_row_get_connection (MW_CONNECTION_ROW (child)) == connection)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

void
mw_window_select_connection (MwWindow     *self,
                             MwConnection *connection)
{
  GtkListBoxRow *row;

  g_return_if_fail (MW_IS_WINDOW (self));

  row = find_row (self, connection);
  if (row != NULL)
    gtk_list_box_select_row (self->sidebar_list, row);
}

/* Benchmark hook: once the list holds the expected domains, the next painted frame shows them. */

static void
on_frame_clock_after_paint_cb (MwWindow      *self,
                               GdkFrameClock *clock)
{
  g_clear_signal_handler (&self->bench_paint_id, clock);
  self->bench_done = TRUE;
  g_print ("mw-bench: %u domains drawn\n", g_list_model_get_n_items (self->all_domains));
  fflush (stdout);
}

static void
bench_check (MwWindow *self)
{
  GdkFrameClock *clock;

  if (self->bench_expect == 0 || self->bench_done || self->bench_paint_id != 0)
    return;
  if (g_list_model_get_n_items (self->all_domains) < self->bench_expect)
    return;
  if ((clock = gtk_widget_get_frame_clock (GTK_WIDGET (self))) == NULL)
    return;

  self->bench_paint_id = g_signal_connect_swapped (clock, "after-paint",
                                                   G_CALLBACK (on_frame_clock_after_paint_cb),
                                                   self);
  gtk_widget_queue_draw (GTK_WIDGET (self->domain_view));
}

/* What the content side shows follows from the selection, its state and the filter. */

static void
show_status (MwWindow   *self,
             const char *icon_name,
             const char *title,
             const char *description,
             const char *button_label,
             const char *button_action)
{
  g_autofree char *escaped = description ? g_markup_escape_text (description, -1) : NULL;

  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->status_button), button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (self->status_button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), button_action);
    }
  gtk_stack_set_visible_child_name (self->content_stack, "status");
  gtk_spinner_stop (self->connecting_spinner);
}

static void
show_connecting (MwWindow   *self,
                 const char *text)
{
  gtk_label_set_text (self->connecting_label, text);
  gtk_widget_set_visible (self->connecting_cancel, FALSE);
  gtk_spinner_start (self->connecting_spinner);
  gtk_stack_set_visible_child_name (self->content_stack, "connecting");
}

static guint
count_in_state (MwWindow          *self,
                MwConnectionState  state)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      count += mw_connection_get_state (connection) == state;
    }

  return count;
}

static void
update_subtitle (MwWindow *self,
                 guint     n_visible,
                 guint     n_total)
{
  g_autoptr(GString) subtitle = g_string_new (NULL);
  guint n_connecting;
  guint n_unlisted;

  if (n_total == 0)
    {
      adw_window_title_set_subtitle (self->content_title, NULL);
      return;
    }
  if (n_visible == n_total)
    g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u domain", "%u domains",
                                                   n_total),
                            n_total);
  else
    /* Translators: shown while filtering, "3 of 12 domains" */
    g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u of %u domain",
                                                   "%u of %u domains", n_total),
                            n_visible, n_total);

  /* All Connections counts the connected hosts' domains only: it says which hosts are not in
   * it (issue #10: "8 domains" while one of the two hosts was not connected). */
  if (self->selected == NULL)
    {
      n_connecting = count_in_state (self, MW_CONNECTION_STATE_CONNECTING);
      n_unlisted = count_in_state (self, MW_CONNECTION_STATE_DISCONNECTED)
                   + count_in_state (self, MW_CONNECTION_STATE_FAILED);
      if (n_connecting > 0)
        {
          g_string_append (subtitle, " · ");
          /* Translators: added to "12 domains" in All Connections, after " · " */
          g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u host connecting",
                                                         "%u hosts connecting", n_connecting),
                                  n_connecting);
        }
      if (n_unlisted > 0)
        {
          g_string_append (subtitle, " · ");
          /* Translators: added to "12 domains" in All Connections, after " · " */
          g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u host not connected",
                                                         "%u hosts not connected", n_unlisted),
                                  n_unlisted);
        }
    }
  adw_window_title_set_subtitle (self->content_title, subtitle->str);
}

void
mw_window_update_content (MwWindow *self)
{
  GListModel *source = gtk_filter_list_model_get_model (self->filter_model);
  guint n_total = source ? g_list_model_get_n_items (source) : 0;
  guint n_visible = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean connected = TRUE;

  adw_window_title_set_title (self->content_title,
                              self->selected ? mw_connection_get_title (self->selected)
                                             : _("All Connections"));
  update_subtitle (self, n_visible, n_total);
  gtk_column_view_column_set_visible (self->connection_column, self->selected == NULL);

  if (self->selected != NULL)
    {
      const char *title = mw_connection_get_title (self->selected);
      const char *reason = mw_connection_get_error_message (self->selected);
      g_autofree char *text = NULL;

      switch (mw_connection_get_state (self->selected))
        {
        case MW_CONNECTION_STATE_CONNECTING:
          text = g_strdup_printf (_("Connecting to %s…"), title);
          show_connecting (self, text);
          gtk_widget_set_visible (self->connecting_cancel,
                                  mw_window_can_cancel_connect (self, self->selected));
          return;

        case MW_CONNECTION_STATE_FAILED:
          text = g_strdup_printf (_("Could not connect to %s"), title);
          show_status (self, "dialog-error-symbolic", text, reason, _("_Try Again"), "win.connect");
          return;

        case MW_CONNECTION_STATE_DISCONNECTED:
          if (reason != NULL)
            text = g_strdup_printf (_("The connection was lost: %s"), reason);
          else if (mw_window_get_note (self, self->selected) == MW_WINDOW_NOTE_DECLINED)
            {
              text = g_strdup_printf (_("%s was not opened because no credentials were given. "
                                        "Connect again to enter them."), title);
              show_status (self, "dialog-password-symbolic", _("No Credentials Given"), text,
                           _("_Connect"), "win.connect");
              return;
            }
          else if (mw_window_get_note (self, self->selected) == MW_WINDOW_NOTE_CANCELLED)
            text = g_strdup_printf (_("Connecting to %s was cancelled."), title);
          show_status (self, "network-offline-symbolic", _("Not Connected"),
                       text ? text : _("Connect to list this host’s virtual machines."),
                       _("_Connect"), "win.connect");
          return;

        case MW_CONNECTION_STATE_CONNECTED:
        default:
          break;
        }
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->connections)) == 0)
    {
      show_status (self, "network-server-symbolic", _("No Connections"),
                   _("Add a libvirt connection to a local or remote host."),
                   _("Add _Connection…"), "win.add-connection");
      return;
    }
  else if (n_total == 0 && count_in_state (self, MW_CONNECTION_STATE_CONNECTING) > 0)
    {
      show_connecting (self, _("Connecting…"));
      return;
    }
  else if (n_total == 0 && count_in_state (self, MW_CONNECTION_STATE_CONNECTED) == 0)
    {
      /* Issue #10: not "none of the connected hosts has a domain" when none is connected. */
      show_status (self, "network-offline-symbolic", _("Not Connected"),
                   _("None of the hosts is connected. Select one in the sidebar to connect to "
                     "it."),
                   NULL, NULL);
      return;
    }
  else
    connected = FALSE;

  if (n_total == 0)
    show_status (self, "computer-symbolic", _("No Virtual Machines"),
                 connected ? _("This host has no domains defined.")
                 /* Issue #10: seen in the lab with hosta's libvirtd gone, its guest running. */
                 : count_in_state (self, MW_CONNECTION_STATE_DISCONNECTED)
                     + count_in_state (self, MW_CONNECTION_STATE_FAILED) > 0
                   ? _("None of the connected hosts has a domain. Hosts that are not connected "
                       "are not listed: connect them to see their domains.")
                   : _("None of the connected hosts has a domain."),
                 NULL, NULL);
  else if (n_visible == 0)
    {
      g_autofree char *text = g_strdup_printf (_("No domain name contains “%s”."), search);

      show_status (self, "system-search-symbolic", _("No Results"), text, NULL, NULL);
    }
  else
    {
      gtk_spinner_stop (self->connecting_spinner);
      gtk_stack_set_visible_child_name (self->content_stack, "domains");
    }
}

static void
on_filter_model_items_changed_cb (MwWindow   *self,
                                  guint       position,
                                  guint       removed,
                                  guint       added,
                                  GListModel *model)
{
  mw_window_update_content (self);
  bench_check (self);
}

static void
on_selected_changed_cb (MwWindow     *self,
                        GParamSpec   *pspec,
                        MwConnection *connection)
{
  mw_window_update_content (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect",
                                 mw_connection_get_state (connection) == MW_CONNECTION_STATE_DISCONNECTED ||
                                 mw_connection_get_state (connection) == MW_CONNECTION_STATE_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.disconnect",
                                 mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTED);
}

static void
set_selected (MwWindow     *self,
              MwConnection *connection)
{
  if (self->selected == connection)
    return;

  if (self->selected != NULL)
    {
      g_clear_signal_handler (&self->selected_state_id, self->selected);
      g_clear_signal_handler (&self->selected_error_id, self->selected);
    }
  g_set_object (&self->selected, connection);

  gtk_filter_list_model_set_model (self->filter_model,
                                   connection ? mw_connection_get_domains (connection)
                                              : self->all_domains);

  if (connection != NULL)
    {
      self->selected_state_id = g_signal_connect_swapped (connection, "notify::state",
                                                          G_CALLBACK (on_selected_changed_cb), self);
      self->selected_error_id = g_signal_connect_swapped (connection, "notify::error-message",
                                                          G_CALLBACK (on_selected_changed_cb), self);
      on_selected_changed_cb (self, NULL, connection);
    }
  else
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.disconnect", FALSE);
      mw_window_update_content (self);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-connection", connection != NULL);
}

static void
on_sidebar_list_row_selected_cb (MwWindow      *self,
                                 GtkListBoxRow *row,
                                 GtkListBox    *list)
{
  if (row == NULL)
    return;

  set_selected (self, MW_IS_CONNECTION_ROW (row) ? mw_connection_row_get_connection (MW_CONNECTION_ROW (row))
                                                 : NULL);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_search_entry_search_changed_cb (MwWindow       *self,
                                   GtkSearchEntry *entry)
{
  gtk_string_filter_set_search (self->name_filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_search_entry_stop_search_cb (MwWindow       *self,
                                GtkSearchEntry *entry)
{
  gtk_toggle_button_set_active (self->search_button, FALSE);
}

/* However the bar closes (its button, Escape, the key capture), the filter goes with it: no
 * domain stays hidden behind a closed bar. */
static void
on_search_bar_search_mode_cb (MwWindow     *self,
                              GParamSpec   *pspec,
                              GtkSearchBar *bar)
{
  if (gtk_search_bar_get_search_mode (bar))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_string_filter_set_search (self->name_filter, NULL);
}

static GtkWidget *
create_sidebar_row (gpointer item,
                    gpointer user_data)
{
  GtkWidget *row, *box, *icon, *label;

  if (MW_IS_CONNECTION (item))
    return GTK_WIDGET (mw_connection_row_new (MW_CONNECTION (item)));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = gtk_image_new_from_icon_name ("view-list-symbolic");
  label = gtk_label_new (_("All Connections"));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
on_connections_items_changed_cb (MwWindow   *self,
                                 guint       position,
                                 guint       removed,
                                 guint       added,
                                 GListModel *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (model, i);

      mw_window_watch_connection (self, connection);
    }
  if (removed > 0)
    mw_window_forget_removed_connections (self);

  /* The selected connection was removed: fall back to all connections. */
  if (self->selected != NULL && find_row (self, self->selected) == NULL)
    mw_window_select_connection (self, NULL);

  mw_window_update_content (self);
}

/* Migration: the selected domain, its context menu, and --migrate */

MwMigrationWizard *
mw_window_open_migration (MwWindow     *self,
                          MwDomain     *domain,
                          MwConnection *destination)
{
  MwMigrationWizard *wizard;

  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (MW_IS_DOMAIN (domain), NULL);
  g_return_val_if_fail (destination == NULL || MW_IS_CONNECTION (destination), NULL);

  wizard = mw_migration_wizard_new (GTK_WINDOW (self), self->connections, domain);
  if (destination != NULL && !mw_migration_wizard_set_destination (wizard, destination))
    g_debug ("%s cannot be the destination; the wizard shows why",
             mw_connection_get_uri (destination));
  gtk_window_present (GTK_WINDOW (wizard));

  return wizard;
}

static void check_pending_migration (MwWindow *self);

static void
clear_pending_migration (MwWindow *self)
{
  if (self->pending_from != NULL)
    g_signal_handlers_disconnect_by_func (self->pending_from, check_pending_migration, self);
  if (self->pending_to != NULL)
    g_signal_handlers_disconnect_by_func (self->pending_to, check_pending_migration, self);
  g_clear_object (&self->pending_from);
  g_clear_object (&self->pending_to);
  g_clear_pointer (&self->pending_domain, g_free);
}

static void
show_migration_error (MwWindow   *self,
                      const char *heading,
                      const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
still_connecting (MwConnection *connection)
{
  return mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTING ||
         mw_connection_get_state (connection) == MW_CONNECTION_STATE_DISCONNECTED;
}

static void
check_pending_migration (MwWindow *self)
{
  MwConnection *failed = NULL;
  MwDomain *domain;

  if (self->pending_from == NULL)
    return;
  if (mw_connection_get_state (self->pending_from) == MW_CONNECTION_STATE_FAILED)
    failed = self->pending_from;
  else if (mw_connection_get_state (self->pending_to) == MW_CONNECTION_STATE_FAILED)
    failed = self->pending_to;
  else if (still_connecting (self->pending_from) || still_connecting (self->pending_to))
    return;

  if (failed != NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Connect to %s"),
                                                  mw_connection_get_title (failed));
      const char *reason = mw_connection_get_error_message (failed);

      show_migration_error (self, heading, reason ? reason : _("libvirt gave no reason."));
    }
  else if ((domain = mw_connection_find_domain (self->pending_from, self->pending_domain)) == NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("No Domain Named “%s”"), self->pending_domain);
      g_autofree char *body = g_strdup_printf (_("%s has no domain of that name. Check the name "
                                                 "with “virsh list --all”."),
                                               mw_connection_get_title (self->pending_from));

      show_migration_error (self, heading, body);
    }
  else
    {
      mw_window_select_connection (self, self->pending_from);
      mw_window_open_migration (self, domain, self->pending_to);
    }

  clear_pending_migration (self);
}

void
mw_window_migrate_when_connected (MwWindow     *self,
                                  MwConnection *from,
                                  const char   *domain_name,
                                  MwConnection *to)
{
  g_return_if_fail (MW_IS_WINDOW (self));
  g_return_if_fail (MW_IS_CONNECTION (from));
  g_return_if_fail (MW_IS_CONNECTION (to));
  g_return_if_fail (domain_name != NULL);

  clear_pending_migration (self);
  self->pending_from = g_object_ref (from);
  self->pending_to = g_object_ref (to);
  self->pending_domain = g_strdup (domain_name);

  g_signal_connect_swapped (from, "notify::state", G_CALLBACK (check_pending_migration), self);
  g_signal_connect_swapped (to, "notify::state", G_CALLBACK (check_pending_migration), self);
  mw_window_connect (self, from);
  mw_window_connect (self, to);
  check_pending_migration (self);
}

static gboolean
mw_window_close_request (GtkWindow *window)
{
  MwWindow *self = MW_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  g_cancellable_cancel (self->cancellable);
  mw_window_cancel_connects (self);

  return GTK_WINDOW_CLASS (mw_window_parent_class)->close_request (window);
}

static void
mw_window_bind_application (MwWindow *self)
{
  MwApplication *app = MW_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GListStore) sidebar_items = NULL;
  g_autoptr(GtkStringObject) all = NULL;
  GtkFlattenListModel *sidebar_model;
  GListModel *connections;
  const char *bench;

  g_assert (MW_IS_APPLICATION (app));

  /* A window opened without the command line (tests, a second window) shows what is saved. */
  mw_application_load_connections (app, TRUE);
  self->settings = g_object_ref (mw_application_get_settings (app));
  self->connections = mw_application_get_connections (app);
  connections = G_LIST_MODEL (self->connections);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  mw_window_setup_domain_list (self);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filter_model_items_changed_cb), self, G_CONNECT_SWAPPED);

  /* Sidebar: "All connections", then each connection. */
  sidebar_items = g_list_store_new (G_TYPE_OBJECT);
  all = gtk_string_object_new (ALL_CONNECTIONS_ID);
  g_list_store_append (sidebar_items, all);
  {
    GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);

    g_list_store_append (parts, sidebar_items);
    g_list_store_append (parts, connections);
    sidebar_model = gtk_flatten_list_model_new (G_LIST_MODEL (parts));
  }
  gtk_list_box_bind_model (self->sidebar_list, G_LIST_MODEL (sidebar_model),
                           create_sidebar_row, self, NULL);
  g_object_unref (sidebar_model);

  g_signal_connect_object (connections, "items-changed",
                           G_CALLBACK (on_connections_items_changed_cb), self, G_CONNECT_SWAPPED);
  on_connections_items_changed_cb (self, 0, 0, g_list_model_get_n_items (connections), connections);

  mw_window_setup_sorting (self);

  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  if ((bench = g_getenv ("MW_BENCH_EXPECT")) != NULL)
    self->bench_expect = (guint) g_ascii_strtoull (bench, NULL, 10);

  mw_window_select_connection (self, NULL);
}

static void
mw_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mw_window_parent_class)->realize (widget);

  bench_check (MW_WINDOW (widget));
}

static void
mw_window_dispose (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);

  /* The menus and buttons the selection drives go below: stop following it first. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->selected != NULL)
    {
      g_clear_signal_handler (&self->selected_state_id, self->selected);
      g_clear_signal_handler (&self->selected_error_id, self->selected);
    }
  g_clear_object (&self->selected);
  if (self->watched_domain != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_domain,
                                          mw_window_update_domain_actions, self);
  self->watched_state_id = 0;
  g_clear_object (&self->watched_domain);
  if (self->outcome_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->outcome_toast, self);
  g_clear_weak_pointer (&self->outcome_toast);
  clear_pending_migration (self);
  mw_window_dispose_connect (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->domain_menu, gtk_widget_unparent);

  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->name_filter);
  g_clear_object (&self->all_domains);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mw_window_parent_class)->dispose (object);
}

static void
mw_window_class_init (MwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mw_window_dispose;
  widget_class->realize = mw_window_realize;
  window_class->close_request = mw_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/mw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, content);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, domain_view);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, name_column);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, state_column);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, vcpus_column);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, memory_column);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, connection_column);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, status_button);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, connecting_label);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, connecting_cancel);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, migrate_button);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, power_button);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, lifecycle_section);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, pause_section);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_bar_search_mode_cb);

  mw_window_class_init_actions (widget_class);
  mw_window_class_init_domain_actions (widget_class);
  mw_window_class_init_connect (widget_class);

  g_type_ensure (MW_TYPE_CONNECTION_ROW);
}

static void
mw_window_init (MwWindow *self)
{
  self->cancellable = g_cancellable_new ();
  mw_window_init_connect (self);
  gtk_widget_init_template (GTK_WIDGET (self));
  mw_window_setup_domain_menu (self);
  self->power_state_label = mw_window_new_state_label ();
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (gtk_menu_button_get_popover (self->power_button)),
                              self->power_state_label, "domain-state");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.migrate", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.domain-menu", FALSE);
  mw_window_update_domain_actions (self);
}
