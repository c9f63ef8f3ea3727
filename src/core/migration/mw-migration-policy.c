/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-policy.c: the recommended options and one sentence per decision (see the
 * header for the rules). */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mw-convergence.h"
#include "mw-migration-policy.h"

/* Below 1 Gbit/s a link is slow enough for XBZRLE to pay for its CPU. */
#define SLOW_LINK_BPS (G_GUINT64_CONSTANT (125) * 1000 * 1000)

/* How pre-copy alone would do. */
typedef enum
{
  FORECAST_UNKNOWN,  /* no link speed, memory size or dirty rate */
  FORECAST_FINISHES, /* within MW_POLICY_SLOW_FACTOR passes */
  FORECAST_SLOW,     /* finishes, but later than that */
  FORECAST_NEVER,    /* the guest dirties at least as fast as the link moves */
} Forecast;

void
mw_migration_policy_input_init (MwMigrationPolicyInput *input)
{
  g_return_if_fail (input != NULL);

  *input = (MwMigrationPolicyInput) { 0 };
  input->dirty_rate_bps = -1;
}

static guint64
memory_bytes (const MwMigrationPolicyInput *input)
{
  if (input->memory_bytes != 0)
    return input->memory_bytes;
  return input->caps != NULL ? input->caps->memory_kib * 1024 : 0;
}

/* NULL when post-copy can work for base on this pair, else why not in one sentence. */
static char *
postcopy_blocker (const MwMigrationOptions     *base,
                  const MwMigrationPolicyInput *input)
{
  if (base->connection == MW_MIGRATION_CONNECTION_TUNNELLED)
    return g_strdup (_("A tunnelled migration cannot switch to post-copy."));
  /* The versions, and whether the destination's QEMU may open a userfaultfd. */
  return input->caps != NULL ? mw_migration_caps_why_not (input->caps,
                                                          MW_MIGRATION_FEATURE_POSTCOPY)
                             : NULL;
}

static void
decide_parallel (MwMigrationOptions           *options,
                 const MwMigrationPolicyInput *input,
                 gboolean                      postcopy,
                 GPtrArray                    *reasons)
{
  g_autofree char *why_not = NULL;
  g_autofree char *why = NULL;
  g_autofree char *link = NULL;
  guint n;

  options->parallel_connections = 0;
  if (options->connection == MW_MIGRATION_CONNECTION_TUNNELLED)
    {
      g_ptr_array_add (reasons, g_strdup (_("One stream: a tunnelled migration carries its "
                                            "data through libvirtd, which cannot open parallel "
                                            "connections.")));
      return;
    }
  if (postcopy)
    {
      g_ptr_array_add (reasons, g_strdup (_("One stream: post-copy is chosen, and this policy "
                                            "does not combine it with parallel connections "
                                            "(QEMU refused the pair before 10.1).")));
      return;
    }
  if (input->caps == NULL)
    {
      g_ptr_array_add (reasons, g_strdup (_("One stream: what the hosts support is not "
                                            "known.")));
      return;
    }
  why_not = mw_migration_caps_why_not (input->caps, MW_MIGRATION_FEATURE_PARALLEL);
  if (why_not != NULL)
    {
      /* Translators: the second %s is why, a whole sentence ("Needs libvirt 5.2 on both
       * hosts; hostb has 5.0."). */
      g_ptr_array_add (reasons, g_strdup_printf (_("One stream: these hosts cannot open "
                                                   "parallel connections. %s"), why_not));
      return;
    }
  n = mw_migration_caps_default_parallel (input->caps, input->link_bps, &why);
  if (n >= 2)
    {
      options->parallel_connections = n;
      g_ptr_array_add (reasons, g_steal_pointer (&why));
      return;
    }
  link = mw_format_rate (input->link_bps);
  if (input->link_bps != 0 && input->link_bps <= MW_PARALLEL_CONNECTION_BPS)
    /* Translators: "One stream: one connection fills a link of 32 MiB/s." */
    g_ptr_array_add (reasons, g_strdup_printf (_("One stream: one connection fills a link of "
                                                 "%s."), link));
  else
    g_ptr_array_add (reasons, g_strdup (_("One stream: the hosts have no CPU to spare for a "
                                          "second connection.")));
}

static Forecast
forecast (const MwMigrationPolicyInput *input,
          double                       *precopy_s)
{
  double memory = (double) memory_bytes (input);
  double link = (double) input->link_bps;

  *precopy_s = -1;
  if (memory <= 0 || link <= 0 || input->dirty_rate_bps < 0)
    return FORECAST_UNKNOWN;
  *precopy_s = mw_convergence_precopy_seconds (memory, link, (double) input->dirty_rate_bps,
                                               input->max_downtime_ms);
  if (*precopy_s < 0)
    return FORECAST_NEVER;
  return *precopy_s <= MW_POLICY_SLOW_FACTOR * memory / link ? FORECAST_FINISHES : FORECAST_SLOW;
}

/* One memory pass at the link's speed, rounded up, and a second for the pass's start. */
static guint
first_pass_seconds (const MwMigrationPolicyInput *input)
{
  guint64 memory = memory_bytes (input);

  if (memory == 0 || input->link_bps == 0)
    return 0;
  return (guint) MIN (ceil ((double) memory / (double) input->link_bps) + 1, G_MAXUINT / 2);
}

/* Auto-converge and post-copy, with their one sentence. TRUE when post-copy is chosen. */
static gboolean
decide_convergence (MwMigrationOptions           *options,
                    const MwMigrationPolicyInput *input,
                    Forecast                      verdict,
                    double                        precopy_s,
                    const char                   *why_no_postcopy,
                    GPtrArray                    *reasons)
{
  g_autofree char *dirty = NULL;
  g_autofree char *link = NULL;
  g_autofree char *memory = mw_format_bytes (memory_bytes (input));
  g_autofree char *duration = NULL;
  guint after = first_pass_seconds (input);

  options->auto_converge = FALSE;
  options->postcopy = FALSE;
  options->postcopy_after_s = 0;
  dirty = mw_format_rate (input->dirty_rate_bps > 0 ? (guint64) input->dirty_rate_bps : 0);
  link = mw_format_rate (input->link_bps);
  duration = mw_format_duration_us ((gint64) (MAX (precopy_s, 0) * G_USEC_PER_SEC));

  switch (verdict)
    {
    case FORECAST_FINISHES:
      if (input->dirty_rate_bps == 0)
        /* Translators: "… one pass over 256 MiB at 32 MiB/s finishes it." */
        g_ptr_array_add (reasons, g_strdup_printf (_("Neither auto-converge nor post-copy: the "
                                                     "guest is idle, so one pass over %s at %s "
                                                     "finishes it."), memory, link));
      else
        /* Translators: "… the guest dirties 4 MiB/s while the link moves 32 MiB/s, so
         * pre-copy should finish in about 12 s." */
        g_ptr_array_add (reasons, g_strdup_printf (_("Neither auto-converge nor post-copy: the "
                                                     "guest dirties %s while the link moves %s, "
                                                     "so pre-copy should finish in about %s."),
                                                   dirty, link, duration));
      return FALSE;

    case FORECAST_SLOW:
      options->auto_converge = TRUE;
      g_ptr_array_add (reasons, g_strdup_printf (_("Auto-converge: the guest dirties %s while "
                                                   "the link moves %s, so pre-copy alone would "
                                                   "take about %s; QEMU slows the vCPUs only "
                                                   "while the copy falls behind."),
                                                 dirty, link, duration));
      return FALSE;

    case FORECAST_NEVER:
      if (why_no_postcopy == NULL)
        {
          options->postcopy = TRUE;
          options->postcopy_after_s = after;
          /* Translators: "Post-copy after the first pass (9 s): the guest dirties 64 MiB/s,
           * at least what the link moves (32 MiB/s), …" */
          g_ptr_array_add (reasons, g_strdup_printf (_("Post-copy after the first pass (%u s): "
                                                       "the guest dirties %s, at least what the "
                                                       "link moves (%s), so pre-copy alone would "
                                                       "never finish; after one full pass the "
                                                       "guest runs on the destination and fetches "
                                                       "the rest."), after, dirty, link));
          return TRUE;
        }
      options->auto_converge = TRUE;
      /* Translators: the last %s is why post-copy cannot work, a whole sentence. */
      g_ptr_array_add (reasons, g_strdup_printf (_("Auto-converge: the guest dirties %s, at least "
                                                   "what the link moves (%s), so QEMU must slow "
                                                   "the vCPUs until the copy catches up, since "
                                                   "post-copy cannot work here. %s"),
                                                 dirty, link, why_no_postcopy));
      return FALSE;

    case FORECAST_UNKNOWN:
    default:
      options->auto_converge = TRUE;
      if (why_no_postcopy != NULL)
        {
          g_ptr_array_add (reasons, g_strdup_printf (_("Auto-converge: how fast the guest "
                                                       "dirties its memory is not known, so QEMU "
                                                       "may slow the vCPUs if the copy falls "
                                                       "behind; post-copy cannot work here. %s"),
                                                     why_no_postcopy));
          return FALSE;
        }
      options->postcopy = TRUE;
      options->postcopy_after_s = after;
      if (after == 0)
        g_ptr_array_add (reasons, g_strdup (_("Auto-converge, and post-copy allowed when you "
                                              "ask for it: without the link’s speed and the "
                                              "guest’s memory size, no pass can be timed.")));
      else
        g_ptr_array_add (reasons, g_strdup_printf (_("Auto-converge, and post-copy after the "
                                                     "first pass (%u s): how fast the guest "
                                                     "dirties its memory is not known, so QEMU "
                                                     "may slow the vCPUs, and the guest switches "
                                                     "over once all its memory was sent."),
                                                   after));
      return TRUE;
    }
}

static void
decide_compression (MwMigrationOptions           *options,
                    const MwMigrationPolicyInput *input,
                    Forecast                      verdict,
                    GPtrArray                    *reasons)
{
  g_autofree char *why_not = NULL;
  g_autofree char *link = NULL;

  options->compression = MW_MIGRATION_COMPRESSION_NONE;
  options->xbzrle_cache_mib = 0;
  if (input->caps != NULL)
    why_not = mw_migration_caps_why_not (input->caps, MW_MIGRATION_FEATURE_XBZRLE);
  if (verdict == FORECAST_NEVER && !options->postcopy && options->parallel_connections == 0
      && input->link_bps < SLOW_LINK_BPS && why_not == NULL)
    {
      options->compression = MW_MIGRATION_COMPRESSION_XBZRLE;
      link = mw_format_rate (input->link_bps);
      g_ptr_array_add (reasons, g_strdup_printf (_("XBZRLE compression: on a link of %s, sending "
                                                   "only what changed in the pages the guest "
                                                   "rewrites helps the copy catch up."), link));
      return;
    }
  g_ptr_array_add (reasons, g_strdup (_("No compression: it costs CPU on both hosts and helps "
                                        "only a slow link that pre-copy cannot keep up with "
                                        "otherwise.")));
}

MwMigrationOptions *
mw_migration_policy_recommend (const MwMigrationOptions     *base,
                               const MwMigrationPolicyInput *input,
                               GStrv                        *reasons)
{
  MwMigrationOptions *options;
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *why_no_postcopy = NULL;
  g_autofree char *link = NULL;
  Forecast verdict;
  double precopy_s;
  gboolean postcopy;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (input != NULL, NULL);

  options = mw_migration_options_copy (base);
  options->mode = MW_MIGRATION_MODE_LIVE;
  options->zerocopy = FALSE;
  options->postcopy_resume = FALSE;
  g_ptr_array_add (sentences, g_strdup (_("Live: the guest keeps running while its memory is "
                                          "copied.")));

  options->max_downtime_ms = input->max_downtime_ms;
  if (input->max_downtime_ms != 0)
    /* Translators: "Maximum downtime 500 ms, your limit: …" */
    g_ptr_array_add (sentences, g_strdup_printf (_("Maximum downtime %u ms, your limit: the "
                                                   "guest pauses at most that long at the "
                                                   "switch-over."), input->max_downtime_ms));
  else
    g_ptr_array_add (sentences, g_strdup (_("Maximum downtime left at QEMU’s 300 ms: no limit "
                                            "was given.")));

  link = mw_format_rate (input->link_bps);
  if (input->link_is_cap && input->link_bps != 0)
    {
      options->bandwidth_mib_s = (guint) MAX (input->link_bps >> 20, 1);
      g_ptr_array_add (sentences, g_strdup_printf (_("Bandwidth capped at %u MiB/s, as you "
                                                     "asked."), options->bandwidth_mib_s));
    }
  else
    {
      options->bandwidth_mib_s = 0;
      if (input->link_bps != 0)
        g_ptr_array_add (sentences, g_strdup_printf (_("No bandwidth cap: the migration may use "
                                                       "the whole link (%s measured)."), link));
      else
        g_ptr_array_add (sentences, g_strdup (_("No bandwidth cap: the migration may use the "
                                                "whole link.")));
    }

  why_no_postcopy = postcopy_blocker (options, input);
  verdict = forecast (input, &precopy_s);
  /* Decided before parallel: post-copy sets the number of streams, and the sentences still
   * come in the header's order. */
  {
    g_autoptr(GPtrArray) convergence = g_ptr_array_new_with_free_func (g_free);

    postcopy = decide_convergence (options, input, verdict, precopy_s, why_no_postcopy,
                                   convergence);
    decide_parallel (options, input, postcopy, sentences);
    g_ptr_array_extend_and_steal (sentences, g_steal_pointer (&convergence));
  }
  decide_compression (options, input, verdict, sentences);

  g_assert (mw_migration_options_validate (options, NULL)
            || !mw_migration_options_validate (base, NULL));
  if (reasons != NULL)
    {
      g_ptr_array_add (sentences, NULL);
      *reasons = (GStrv) g_ptr_array_steal (sentences, NULL);
    }
  return options;
}
