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

enum { MOVED, STARTED, SHUT_DOWN, SAVED, LEFT, FAILED, NOT_MOVED, N_COUNTS };

char *
mw_evacuation_describe_outcome (GListModel *items,
                                gboolean    stopped,
                                gboolean    all_moved,
                                gint64      elapsed_ms)
{
  guint counts[N_COUNTS] = { 0 };
  g_autofree char *elapsed = mw_evacuation_format_ms (elapsed_ms);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      MwEvacuationAction action = mw_evacuation_item_get_action (item);
      MwEvacuationState state = mw_evacuation_item_get_state (item);

      if (action == MW_EVACUATION_ACTION_LEAVE)
        counts[LEFT]++;
      else if (state == MW_EVACUATION_STATE_FAILED)
        counts[FAILED]++;
      else if (state != MW_EVACUATION_STATE_DONE)
        counts[NOT_MOVED]++;         /* cancelled, stopped, or not finished */
      else if (action == MW_EVACUATION_ACTION_MIGRATE)
        counts[MOVED]++;
      else if (action == MW_EVACUATION_ACTION_START)
        counts[STARTED]++;
      else if (action == MW_EVACUATION_ACTION_SHUT_DOWN)
        counts[SHUT_DOWN]++;
      else
        counts[SAVED]++;
    }
  for (guint c = 0; c < N_COUNTS; c++)
    {
      guint n = counts[c];

      if (n == 0)
        continue;
      if (list->len > 0)
        /* Translators: between the counts of the summary's sentence, "3 moved, 1 failed". */
        g_string_append (list, _(", "));
      switch (c)
        {
        case MOVED:
          g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "%u moved", "%u moved", n),
                                  n);
          break;
        case STARTED:
          g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "%u started", "%u started",
                                                     n), n);
          break;
        case SHUT_DOWN:
          g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "%u shut down",
                                                     "%u shut down", n), n);
          break;
        case SAVED:
          g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "%u suspended to disk",
                                                     "%u suspended to disk", n), n);
          break;
        case LEFT:
          g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE,
                                                     "%u left where it was, as chosen",
                                                     "%u left where they were, as chosen", n), n);
          break;
        case FAILED:
          g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed",
                                                     n), n);
          break;
        default:
          g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "%u not moved",
                                                     "%u not moved", n), n);
          break;
        }
    }
  if (stopped)
    /* Translators: %1$s is a duration, %2$s the counts ("3 moved, 2 not moved"). */
    return g_strdup_printf (_("Stopped after %1$s: %2$s. The guests not moved stay where they "
                              "were."), elapsed, list->str);
  if (all_moved)
    /* Translators: %1$s is a duration, %2$s the counts ("3 moved, 1 left where it was…"). */
    return g_strdup_printf (_("Done in %1$s: %2$s."), elapsed, list->str);
  /* Translators: %1$s is a duration, %2$s the counts ("3 moved, 1 failed"). */
  return g_strdup_printf (_("Finished in %1$s: %2$s. See the table."), elapsed, list->str);
}
