/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-summary.c: the one paragraph that says what happened and where the guest runs.
 * Pure: from the job's result and a few names, so every sentence is unit-tested. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-convergence.h"
#include "mw-migration-summary.h"

const char *
mw_downtime_caption (MwDowntimeKind kind)
{
  switch (kind)
    {
    case MW_DOWNTIME_LIBVIRT:
      return _("Downtime (libvirt)");
    case MW_DOWNTIME_LIBVIRT_NET:
      return _("Downtime without the network (libvirt)");
    case MW_DOWNTIME_PING_GAP:
      return _("Longest ping gap");
    case MW_N_DOWNTIMES:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
mw_downtime_explanation (MwDowntimeKind kind)
{
  switch (kind)
    {
    case MW_DOWNTIME_LIBVIRT:
      return _("From the guest’s pause on the source to its resume on the destination, by the "
               "hosts’ clocks.");
    case MW_DOWNTIME_LIBVIRT_NET:
      return _("The same pause, less the time libvirt’s last messages spent travelling between "
               "the hosts.");
    case MW_DOWNTIME_PING_GAP:
      return _("The longest wait between two answers of the guest to this computer’s pings: "
               "what its users saw.");
    case MW_N_DOWNTIMES:
    default:
      g_return_val_if_reached (NULL);
    }
}

gint64
mw_downtime_ms (const MwMigrationJobResult *result,
                MwDowntimeKind              kind)
{
  g_return_val_if_fail (result != NULL, -1);

  switch (kind)
    {
    case MW_DOWNTIME_LIBVIRT:
      return MAX (result->downtime_ms, -1);
    case MW_DOWNTIME_LIBVIRT_NET:
      return result->downtime_ms >= 0 ? MAX (result->downtime_net_ms, -1) : -1;
    case MW_DOWNTIME_PING_GAP:
      return result->longest_ping_gap_us >= 0 ? result->longest_ping_gap_us / 1000 : -1;
    case MW_N_DOWNTIMES:
    default:
      g_return_val_if_reached (-1);
    }
}

char *
mw_downtime_format (const MwMigrationJobResult *result,
                    MwDowntimeKind              kind)
{
  gint64 ms = mw_downtime_ms (result, kind);

  if (ms >= 0)
    return g_strdup_printf (_("%lld ms"), (long long) ms);
  if (kind == MW_DOWNTIME_PING_GAP)
    return g_strdup (_("unknown: the guest was not pinged"));
  if (result->state != MW_MIGRATION_JOB_STATE_SUCCEEDED)
    return g_strdup (_("unknown: the migration did not complete"));
  if (kind == MW_DOWNTIME_LIBVIRT_NET && result->downtime_ms >= 0)
    return g_strdup (_("unknown: libvirt could not time the network"));
  return g_strdup (_("unknown: libvirt did not report it"));
}

static char *
ping_sentence (const MwMigrationJobResult *result)
{
  g_autofree char *gap = NULL;

  if (result->longest_ping_gap_us < 0)
    return g_strdup ("");
  gap = mw_format_duration_us (result->longest_ping_gap_us);
  if (result->pings_lost == 0)
    /* Translators: %u is a number of pings, %s a duration like "0.2 s". */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         " No ping of %u was lost; the longest gap between "
                                         "replies was %s.",
                                         " No ping of %u was lost; the longest gap between "
                                         "replies was %s.", result->pings_sent),
                            result->pings_sent, gap);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       " %u ping of %u was lost; the longest gap between "
                                       "replies was %s.",
                                       " %u pings of %u were lost; the longest gap between "
                                       "replies was %s.", result->pings_lost),
                          result->pings_lost, result->pings_sent, gap);
}

gboolean
mw_history_has_remedy (MwSampleHistory *history)
{
  guint n = history != NULL ? mw_sample_history_get_n_events (history) : 0;

  for (guint i = 0; i < n; i++)
    if (mw_sample_history_get_event (history, i)->kind == MW_HISTORY_EVENT_REMEDY)
      return TRUE;
  return FALSE;
}

void
mw_forecast_outcome_from_result (const MwMigrationJobResult *result,
                                 MwSampleHistory            *history,
                                 MwForecastOutcome          *outcome)
{
  g_return_if_fail (result != NULL);
  g_return_if_fail (outcome != NULL);

  outcome->ended = TRUE;
  outcome->completed = result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED;
  outcome->downtime_ms = mw_downtime_ms (result, MW_DOWNTIME_LIBVIRT);
  outcome->passes = result->passes;
  outcome->total_ms = result->total_ms;
  outcome->remedied = mw_history_has_remedy (history);
}

char *
mw_migration_summary (const MwMigrationJobResult *result,
                      const MwSummaryContext     *context)
{
  g_autofree char *took = mw_format_duration_us (result->total_ms * 1000);
  g_autofree char *pings = ping_sentence (result);
  g_autofree char *where = NULL;
  g_autofree char *downtime = NULL;
  g_autofree char *silent = NULL;

  if (result->on_destination && result->on_source)
    where = g_strdup_printf (_("“%s” runs on both hosts now; stop one of them before it writes "
                               "to the same disks."), context->domain_name);
  else if (result->on_destination)
    where = g_strdup_printf (_("“%s” runs on %s."), context->domain_name, context->destination_host);
  else if (result->on_source && result->leftover_on_destination)
    where = g_strdup_printf (_("“%s” keeps running on %s. %s still holds an unfinished incoming "
                               "copy of it, paused, that never ran: remove it before migrating "
                               "again (libvirt also removes it when that host’s daemon "
                               "restarts)."), context->domain_name, context->source_host,
                             context->destination_host);
  else if (result->on_source && result->destination_unreachable)
    where = g_strdup_printf (_("“%s” keeps running on %s. %s could not be asked (its libvirt "
                               "daemon does not answer): an unfinished incoming copy may be left "
                               "there, paused, until that daemon restarts and removes it. Look "
                               "at %s before migrating again."), context->domain_name,
                             context->source_host, context->destination_host, context->destination_host);
  else if (result->on_source)
    where = g_strdup_printf (_("“%s” keeps running on %s."), context->domain_name,
                             context->source_host);
  else if (result->source_unreachable)
    where = g_strdup_printf (_("“%s” does not run on %s, and %s could not be asked (its libvirt "
                               "daemon does not answer). Once that daemon is back, look there "
                               "before doing anything else."), context->domain_name,
                             context->destination_host, context->source_host);
  else if (result->persistent_on_destination)
    where = g_strdup_printf (_("“%s” is defined on %s and not running."), context->domain_name,
                             context->destination_host);
  else if (result->defined_on_source)
    where = g_strdup_printf (_("“%s” is defined on %s and not running."), context->domain_name,
                             context->source_host);
  else
    where = g_strdup_printf (_("“%s” was found running on neither host; look at both before "
                               "doing anything else."), context->domain_name);

  if (result->nothing_to_recover && result->state == MW_MIGRATION_JOB_STATE_SUCCEEDED)
    return g_strdup_printf (_("Nothing to recover: the post-copy migration of “%s” had already "
                              "finished (by itself once the hosts reached each other again, or "
                              "through another program). %s"), context->domain_name, where);

  switch (result->state)
    {
    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
      if (context->offline)
        return g_strdup_printf (_("The definition moved in %s. %s"), took, where);
      if (result->downtime_ms >= 0 && mw_downtime_ms (result, MW_DOWNTIME_LIBVIRT_NET) >= 0)
        /* Translators: libvirt's downtime, then its part without the network */
        downtime = g_strdup_printf (_(" The guest was paused for %lld ms (%lld ms without the "
                                      "network)."), (long long) result->downtime_ms,
                                    (long long) result->downtime_net_ms);
      else if (result->downtime_ms >= 0)
        downtime = g_strdup_printf (_(" The guest was paused for %lld ms."),
                                    (long long) result->downtime_ms);
      if (result->guest_silent && result->on_destination && result->pings_answered_after == 0)
        silent = g_strdup_printf (_(" But “%s” has not answered a ping since the migration "
                                    "ended: check its network on %s before relying on it."),
                                  context->domain_name, context->destination_host);
      else if (result->guest_silent && result->on_destination)
        silent = g_strdup_printf (_(" But “%s” stopped answering pings soon after the "
                                    "migration ended: check its network on %s before relying "
                                    "on it."), context->domain_name, context->destination_host);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The migration finished in %s after %u pass. %s%s%s%s",
                                           "The migration finished in %s after %u passes. %s%s%s%s",
                                           result->passes),
                              took, result->passes, where, downtime != NULL ? downtime : "",
                              pings, silent != NULL ? silent : "");
    case MW_MIGRATION_JOB_STATE_CANCELLED:
      return g_strdup_printf (_("The migration was stopped after %s. %s%s"), took, where, pings);
    case MW_MIGRATION_JOB_STATE_FAILED:
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_PREPARING:
    case MW_MIGRATION_JOB_STATE_RUNNING:
    case MW_MIGRATION_JOB_STATE_POSTCOPY:
    case MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED:
    case MW_MIGRATION_JOB_STATE_VERIFYING:
    default:
      if (!context->migration_started)
        return g_strdup_printf (_("The migration did not start: %s"),
                                result->error_message != NULL ? result->error_message : "");
      /* The error already says what failed ("The migration failed: …", libvirt's words). */
      return g_strdup_printf (_("%s. %s%s"),
                              result->error_message != NULL
                                ? result->error_message
                                : _("The migration failed and libvirt gave no reason"),
                              where, pings);
    }
}


char *
mw_remedy_taken_describe (MwRemedy remedy,
                          gint64   at_us)
{
  g_autofree char *at = mw_format_duration_us (MAX (at_us, 0));

  /* Whole sentences, one per remedy: the time fits each language's own place. */
  switch (remedy)
    {
    case MW_REMEDY_RAISE_DOWNTIME:
      /* Translators: %s is a time, "12 s" */
      return g_strdup_printf (_("The maximum downtime was raised %s into the migration."), at);
    case MW_REMEDY_REMOVE_BANDWIDTH_CAP:
      /* Translators: %s is a time, "12 s" */
      return g_strdup_printf (_("The bandwidth limit was removed %s into the migration."), at);
    case MW_REMEDY_SWITCH_TO_POSTCOPY:
      /* Translators: %s is a time, "12 s" */
      return g_strdup_printf (_("The migration was switched to post-copy %s into it."), at);
    case MW_REMEDY_RESTART_AUTO_CONVERGE:
      /* Translators: %s is a time, "12 s" */
      return g_strdup_printf (_("The migration was stopped %s into it and restarted with "
                                "auto-converge."), at);
    case MW_REMEDY_RESTART_POSTCOPY:
      /* Translators: %s is a time, "12 s" */
      return g_strdup_printf (_("The migration was stopped %s into it and restarted with "
                                "post-copy allowed."), at);
    case MW_REMEDY_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
mw_remedies_taken_describe (MwSampleHistory *history)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (MW_IS_SAMPLE_HISTORY (history), NULL);

  for (guint i = 0; i < mw_sample_history_get_n_events (history); i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (history, i);
      g_autofree char *sentence = NULL;

      if (event->kind != MW_HISTORY_EVENT_REMEDY)
        continue;
      sentence = mw_remedy_taken_describe ((MwRemedy) event->value, event->time_us);
      if (sentence == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, sentence);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}
