/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-rows.c: builds the rows of the host set-up window's lists from what the core's
 * set-up workers returned. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mw-setup-rows.h"

void
mw_setup_rows_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

void
mw_setup_rows_add (GtkListBox *list,
                   const char *icon_name,
                   const char *title,
                   const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  if (icon_name != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  gtk_list_box_append (list, row);
}

static const char *
step_icon (MwSetupStepState state)
{
  switch (state)
    {
    case MW_SETUP_STEP_DONE:
      return "object-select-symbolic";
    case MW_SETUP_STEP_UNCHANGED:
      return "emblem-default-symbolic";
    case MW_SETUP_STEP_FAILED:
      return "dialog-error-symbolic";
    case MW_SETUP_STEP_UNDONE:
      return "edit-undo-symbolic";
    case MW_SETUP_STEP_UNDO_FAILED:
      return "dialog-warning-symbolic";
    default:
      return NULL;
    }
}

void
mw_setup_rows_show_steps (GtkListBox *list,
                          GPtrArray  *steps,
                          gboolean    append)
{
  if (!append)
    mw_setup_rows_clear (list);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const MwSetupStep *step = g_ptr_array_index (steps, i);
      g_autofree char *title = g_strdup_printf ("%s: %s", step->host, step->title);
      g_autofree char *subtitle = NULL;

      if (step->message != NULL)
        subtitle = g_strdup_printf ("%s — %s", mw_setup_step_state_to_string (step->state),
                                    step->message);
      else
        subtitle = g_strdup (mw_setup_step_state_to_string (step->state));
      mw_setup_rows_add (list, step_icon (step->state), title, subtitle);
    }
}

/* Whether one of the guest's interfaces is plugged into this bridge or network. */
static gboolean
guest_uses (GPtrArray  *nics,
            gboolean    is_network,
            const char *source)
{
  for (guint i = 0; i < nics->len; i++)
    {
      const MwDomainNic *nic = g_ptr_array_index (nics, i);

      if (nic->is_network == is_network && g_strcmp0 (nic->source, source) == 0)
        return TRUE;
    }

  return FALSE;
}

void
mw_setup_rows_show_networks (GtkListBox           *list,
                             GtkLabel             *title,
                             const MwHostNetworks *networks,
                             GPtrArray            *nics,
                             gboolean              guest_here)
{
  /* Issue #10: the other host's br0 said "used by the guest" while the guest was not there. */
  const char *bridge_used = guest_here ? _("Bridge · used by the guest")
                                       : _("Bridge · the guest needs it here");
  const char *network_used = guest_here ? _(" · used by the guest")
                                        : _(" · the guest needs it here");

  mw_setup_rows_clear (list);
  gtk_label_set_text (title, networks->label);
  if (networks->error != NULL)
    mw_setup_rows_add (list, "dialog-warning-symbolic", _("Could not read everything"),
                       networks->error);
  for (guint i = 0; networks->bridges[i] != NULL; i++)
    mw_setup_rows_add (list, "network-wired-symbolic", networks->bridges[i],
                       guest_uses (nics, FALSE, networks->bridges[i])
                         ? bridge_used : _("Bridge"));
  if (networks->bridges_from == NULL)
    mw_setup_rows_add (list, "dialog-question-symbolic", _("Bridges unknown"),
                       _("libvirt lists no host interfaces here, and the host is not reachable "
                         "over SSH."));
  for (guint i = 0; i < networks->networks->len; i++)
    {
      const MwNetworkInfo *info = g_ptr_array_index (networks->networks, i);
      g_autofree char *subtitle = NULL;

      /* Translators: libvirt network, its forward mode, its bridge, active or not */
      subtitle = g_strdup_printf (_("libvirt network · %s · bridge %s · %s%s"),
                                  info->forward_mode != NULL ? info->forward_mode
                                                             : _("isolated"),
                                  info->bridge != NULL ? info->bridge : "-",
                                  info->active ? _("active") : _("inactive"),
                                  guest_uses (nics, TRUE, info->name) ? network_used : "");
      mw_setup_rows_add (list, "network-workgroup-symbolic", info->name, subtitle);
    }
}

void
mw_setup_rows_show_guest (GtkListBox            *list,
                          const MwNetworkSurvey *survey,
                          gboolean               domain_chosen)
{
  mw_setup_rows_clear (list);
  if (survey->domain_error != NULL)
    mw_setup_rows_add (list, "dialog-warning-symbolic", _("Could not read the guest"),
                       survey->domain_error);
  else if (survey->nics->len == 0)
    mw_setup_rows_add (list, NULL,
                       domain_chosen ? _("No bridge or network interfaces")
                                     : _("Choose a guest to see what it needs"),
                       NULL);
  for (guint i = 0; i < survey->nics->len; i++)
    {
      const MwDomainNic *nic = g_ptr_array_index (survey->nics, i);
      gboolean on_a = mw_host_networks_provides (survey->a, nic);
      gboolean on_b = mw_host_networks_provides (survey->b, nic);
      g_autofree char *title = g_strdup_printf (nic->is_network ? _("%s: network “%s”")
                                                                : _("%s: bridge “%s”"),
                                                nic->mac != NULL ? nic->mac : "?", nic->source);
      g_autofree char *subtitle =
        g_strdup_printf (_("%s: %s · %s: %s"), survey->a->label,
                         on_a ? _("present") : _("missing"), survey->b->label,
                         on_b ? _("present") : _("missing"));

      mw_setup_rows_add (list, on_a && on_b ? "object-select-symbolic" : "dialog-warning-symbolic",
                         title, subtitle);
    }
}
