/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-labels.c: words and icons for evacuation groups, states and actions. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-evacuation-labels.h"

const char *
mw_evacuation_group_title (MwEvacuationGroup group)
{
  switch (group)
    {
    case MW_EVACUATION_GROUP_READY:
      return _("Ready");
    case MW_EVACUATION_GROUP_NEEDS_DECISION:
      return _("Needs a decision");
    case MW_EVACUATION_GROUP_CANNOT_MOVE:
      return _("Cannot move");
    case MW_EVACUATION_GROUP_UNCHECKED:
    default:
      return _("Not checked yet");
    }
}

const char *
mw_evacuation_group_icon (MwEvacuationGroup group)
{
  switch (group)
    {
    case MW_EVACUATION_GROUP_READY:
      return "emblem-ok-symbolic";
    case MW_EVACUATION_GROUP_NEEDS_DECISION:
      return "dialog-warning-symbolic";
    case MW_EVACUATION_GROUP_CANNOT_MOVE:
      return "dialog-error-symbolic";
    case MW_EVACUATION_GROUP_UNCHECKED:
    default:
      return "content-loading-symbolic";
    }
}

const char *
mw_evacuation_state_title (MwEvacuationState state)
{
  switch (state)
    {
    case MW_EVACUATION_STATE_QUEUED:
      return _("Queued");
    case MW_EVACUATION_STATE_CHECKING:
      return _("Checking");
    case MW_EVACUATION_STATE_MIGRATING:
      return _("Migrating");
    case MW_EVACUATION_STATE_ACTING:
      /* Translators: a guest is being shut down, saved to disk or started. */
      return _("In progress");
    case MW_EVACUATION_STATE_DONE:
      return _("Done");
    case MW_EVACUATION_STATE_FAILED:
      return _("Failed");
    case MW_EVACUATION_STATE_SKIPPED:
    default:
      return _("Skipped");
    }
}

const char *
mw_evacuation_state_icon (MwEvacuationState state)
{
  switch (state)
    {
    case MW_EVACUATION_STATE_QUEUED:
      return "view-list-symbolic";
    case MW_EVACUATION_STATE_CHECKING:
      return "system-search-symbolic";
    case MW_EVACUATION_STATE_MIGRATING:
      return "network-transmit-symbolic";
    case MW_EVACUATION_STATE_ACTING:
      return "system-shutdown-symbolic";
    case MW_EVACUATION_STATE_DONE:
      return "emblem-ok-symbolic";
    case MW_EVACUATION_STATE_FAILED:
      return "dialog-error-symbolic";
    case MW_EVACUATION_STATE_SKIPPED:
    default:
      return "go-next-symbolic";
    }
}

void
mw_evacuation_state_style_label (GtkLabel          *label,
                                 MwEvacuationState  state,
                                 const char        *text,
                                 const char        *extra_class)
{
  const char *colour = state == MW_EVACUATION_STATE_DONE ? "success"
                       : state == MW_EVACUATION_STATE_FAILED ? "error" : "dim-label";

  gtk_label_set_label (label, text);
  gtk_widget_set_css_classes (GTK_WIDGET (label),
                              extra_class != NULL ? (const char *[]) { extra_class, colour, NULL }
                                                  : (const char *[]) { colour, NULL });
}

const char *
mw_evacuation_action_title (MwEvacuationAction action)
{
  switch (action)
    {
    case MW_EVACUATION_ACTION_MIGRATE:
      return _("Migrate");
    case MW_EVACUATION_ACTION_SHUT_DOWN:
      return _("Shut down");
    case MW_EVACUATION_ACTION_MANAGED_SAVE:
      return _("Suspend to disk");
    case MW_EVACUATION_ACTION_START:
      return _("Start");
    case MW_EVACUATION_ACTION_LEAVE:
    default:
      return _("Leave it");
    }
}

const char *
mw_evacuation_host_title (MwConnectionList *connections,
                          const char       *uri)
{
  MwConnection *connection;

  if (uri == NULL)
    return NULL;
  connection = connections != NULL ? mw_connection_list_find (connections, uri) : NULL;
  return connection != NULL ? mw_connection_get_title (connection) : uri;
}

char *
mw_evacuation_item_describe (MwEvacuationItem *item)
{
  g_autofree char *size =
    g_format_size_full (mw_evacuation_item_get_memory_kib (item) * 1024, G_FORMAT_SIZE_IEC_UNITS);

  return g_strdup_printf (mw_evacuation_item_get_was_running (item)
                          /* Translators: %s is an amount of memory. */
                          ? _("%s · running") : _("%s · shut off"), size);
}

char *
mw_evacuation_format_ms (gint64 ms)
{
  if (ms < 0)
    return g_strdup ("—");
  if (ms < 60000)
    /* Translators: seconds with one decimal. */
    return g_strdup_printf (_("%.1f s"), ms / 1000.0);
  return g_strdup_printf ("%d:%02d", (int) (ms / 60000), (int) (ms / 1000 % 60));
}
