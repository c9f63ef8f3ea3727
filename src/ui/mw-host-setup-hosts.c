/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-host-setup-hosts.c: which two hosts the set-up window works on (the connected ones, in
 * two drop-downs) and which guest of host A it looks at. Main thread. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-domain.h"
#include "mw-host-setup-window-private.h"

static MwConnection *
host_at (MwHostSetupWindow *self,
         guint              position)
{
  return position < self->hosts->len ? g_ptr_array_index (self->hosts, position) : NULL;
}

const char *
mw_host_setup_window_host_uri (MwHostSetupWindow *self,
                               GtkDropDown       *dropdown)
{
  MwConnection *host = host_at (self, gtk_drop_down_get_selected (dropdown));

  return host != NULL ? mw_connection_get_uri (host) : NULL;
}

static const char *
uri_a (MwHostSetupWindow *self)
{
  return mw_host_setup_window_host_uri (self, self->host_a_dropdown);
}

static const char *
uri_b (MwHostSetupWindow *self)
{
  return mw_host_setup_window_host_uri (self, self->host_b_dropdown);
}

const char *
mw_host_setup_window_get_domain (MwHostSetupWindow *self)
{
  guint position = gtk_drop_down_get_selected (self->domain_dropdown);

  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->domain_names, position);
}

gboolean
mw_host_setup_window_hosts_chosen (MwHostSetupWindow *self)
{
  return uri_a (self) != NULL && uri_b (self) != NULL && g_strcmp0 (uri_a (self), uri_b (self));
}

static void
fill_domains (MwHostSetupWindow *self)
{
  MwConnection *host = host_at (self, gtk_drop_down_get_selected (self->host_a_dropdown));
  GListModel *domains = host != NULL ? mw_connection_get_domains (host) : NULL;
  const char *chosen = mw_host_setup_window_get_domain (self);
  g_autofree char *previous = g_strdup (chosen != NULL ? chosen : self->initial_domain);
  guint n = domains != NULL ? g_list_model_get_n_items (domains) : 0;
  guint select = 0;

  gtk_string_list_splice (self->domain_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->domain_names)), NULL);
  gtk_string_list_append (self->domain_names, _("(No guest)"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwDomain) domain = g_list_model_get_item (domains, i);

      gtk_string_list_append (self->domain_names, mw_domain_get_name (domain));
      if (g_strcmp0 (mw_domain_get_name (domain), previous) == 0)
        select = i + 1;
    }
  gtk_drop_down_set_selected (self->domain_dropdown, select);
}

static void
on_hosts_changed_cb (MwHostSetupWindow *self)
{
  g_autofree char *label_a = NULL;
  g_autofree char *label_b = NULL;
  const char *names[3] = { NULL, NULL, NULL };
  g_autoptr(GtkStringList) bridge_hosts = NULL;
  guint bridge_selected;

  if (self->hosts == NULL)
    return;
  if (uri_a (self) != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->server_row)) == '\0')
    {
      label_a = mw_setup_host_label (uri_a (self));
      gtk_editable_set_text (GTK_EDITABLE (self->server_row), label_a);
    }
  g_clear_pointer (&label_a, g_free);
  label_a = uri_a (self) != NULL ? mw_setup_host_label (uri_a (self)) : g_strdup ("-");
  label_b = uri_b (self) != NULL ? mw_setup_host_label (uri_b (self)) : g_strdup ("-");
  names[0] = label_a;
  names[1] = label_b;
  bridge_selected = gtk_drop_down_get_selected (self->bridge_host_dropdown);
  bridge_hosts = gtk_string_list_new (names);
  gtk_drop_down_set_model (self->bridge_host_dropdown, G_LIST_MODEL (bridge_hosts));
  gtk_drop_down_set_selected (self->bridge_host_dropdown,
                              bridge_selected == 0 ? 0 : 1);
  gtk_label_set_text (self->host_a_title, label_a);
  gtk_label_set_text (self->host_b_title, label_b);
  mw_host_setup_window_update_actions (self);
  mw_host_setup_window_hosts_changed (self);
}

static void
on_host_a_changed_cb (MwHostSetupWindow *self)
{
  fill_domains (self);
}

void
mw_host_setup_window_fill_hosts (MwHostSetupWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections),
                                                                  i);

      if (mw_connection_get_state (connection) != MW_CONNECTION_STATE_CONNECTED)
        continue;
      g_ptr_array_add (self->hosts, g_object_ref (connection));
      gtk_string_list_append (self->host_names, mw_connection_get_title (connection));
    }
  gtk_drop_down_set_model (self->host_a_dropdown, G_LIST_MODEL (self->host_names));
  gtk_drop_down_set_model (self->host_b_dropdown, G_LIST_MODEL (self->host_names));
  gtk_drop_down_set_selected (self->host_a_dropdown, 0);
  gtk_drop_down_set_selected (self->host_b_dropdown, self->hosts->len > 1 ? 1 : 0);
  fill_domains (self);
  on_hosts_changed_cb (self);
  g_signal_connect_swapped (self->host_a_dropdown, "notify::selected",
                            G_CALLBACK (on_host_a_changed_cb), self);
}

gboolean
mw_host_setup_window_select_hosts (MwHostSetupWindow *self,
                                   const char        *uri_a_wanted,
                                   const char        *uri_b_wanted)
{
  guint a = GTK_INVALID_LIST_POSITION;
  guint b = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (MW_IS_HOST_SETUP_WINDOW (self), FALSE);

  for (guint i = 0; i < self->hosts->len; i++)
    {
      const char *uri = mw_connection_get_uri (g_ptr_array_index (self->hosts, i));

      if (g_strcmp0 (uri, uri_a_wanted) == 0)
        a = i;
      if (g_strcmp0 (uri, uri_b_wanted) == 0)
        b = i;
    }
  if (a == GTK_INVALID_LIST_POSITION || b == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gtk_drop_down_set_selected (self->host_a_dropdown, a);
  gtk_drop_down_set_selected (self->host_b_dropdown, b);
  return TRUE;
}

void
mw_host_setup_window_class_init_hosts (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_hosts_changed_cb);
}
