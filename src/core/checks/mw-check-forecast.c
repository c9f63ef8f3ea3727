/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-forecast.c: will a live migration of this guest converge, before starting it?
 *
 * The dirty rate is measured by QEMU (mw-dirty-rate.h: virDomainStartDirtyRateCalc for a few
 * seconds, then the dirtyrate.* domain stats). The link throughput cannot be measured through libvirt without
 * migrating, so it is, in this order: the figure the caller gives (MwPreflight's link-bps, the
 * CLI's --link-mib-s), capped by the migration's bandwidth limit when one is set; else a
 * conservative default for a 1 Gbit/s link (100 MiB/s), halved for tunnelled migration (the
 * stream goes through libvirtd's RPC) and cut by a fifth for TLS.
 *
 * The prediction is the pre-copy series mw-convergence.c assesses during a migration: each
 * pass sends what the previous one left while the guest dirties d per second, so a pass of R
 * bytes takes R/T and leaves d·R/T; it switches over once what is left fits in T × the allowed
 * downtime. It gives up when a pass leaves as much as it started with, or after 30 passes.
 *
 * What the series does not see, measured in the lab against libvirt's own record of each run
 * (bench/run-bench-forecast; issue #10), and told as ranges:
 * - the pause: QEMU switches over as soon as what is left fits in its threshold (the measured
 *   throughput × the allowed downtime), which may be anything up to that threshold, and it
 *   sends that last part with the bandwidth cap lifted (migration_completion), at the link's
 *   own speed. Besides, stopping the guest, sending the devices' state and starting it on the
 *   destination cost a fixed part that does not depend on memory (SWITCH_*_MS);
 * - the passes: libvirt's "Memory iteration" counts QEMU's dirty-bitmap syncs, the first of
 *   which comes before any page is sent, and a pass ends when what is left falls below the
 *   threshold, not at zero, so syncs come more often than whole passes.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-check-rules.h"
#include "mw-dirty-rate.h"
#include "mw-libvirt.h"
#include "mw-uri.h"

#define MIB (1024.0 * 1024.0)
#define DEFAULT_LINK_MIB_S 100
#define MAX_PASSES 30
/* The switch-over's fixed part, ms. In the lab (TCG, a 256 MiB guest, libvirt 11.3, QEMU
 * 10.0) libvirt's downtime was 35-360 ms for one migration, whatever was left: 35-44 ms capped
 * at 64 MiB/s while dirtying 48 MiB/s with 15 MiB left, 162-216 ms capped at 32 MiB/s with
 * under 10 MiB left, 140-224 ms uncapped and idle (tests/checks/test-check-forecast.c). */
#define SWITCH_MIN_MS 25
#define SWITCH_TYP_MS 150
#define SWITCH_MAX_MS 250

/* The link, capped unless `capped` is FALSE. */
static guint64
estimate_link (const MwCheckFacts  *facts,
               gboolean             capped,
               char               **how)
{
  const MwMigrationOptions *options = facts->options;
  /* With no limit of its own, libvirt uses the one it keeps on the guest. */
  guint64 leftover = capped && options->bandwidth_mib_s == 0 && facts->domain != NULL
                       ? mw_check_leftover_speed (facts) : 0;
  guint64 cap = capped ? (options->bandwidth_mib_s != 0 ? (guint64) options->bandwidth_mib_s
                                                        : leftover) * 1024 * 1024
                       : 0;
  guint64 link;
  g_autofree char *text = NULL;

  if (facts->link_bps > 0)
    {
      link = facts->link_bps;
      text = g_strdup (_("the link throughput given"));
    }
  else
    {
      link = (guint64) DEFAULT_LINK_MIB_S * 1024 * 1024;
      if (options->connection == MW_MIGRATION_CONNECTION_TUNNELLED)
        {
          link /= 2;
          text = g_strdup (_("an assumed 1 Gbit/s link, halved for a tunnelled migration"));
        }
      else if (options->tls)
        {
          link = link * 4 / 5;
          text = g_strdup (_("an assumed 1 Gbit/s link, less a fifth for TLS"));
        }
      else
        text = g_strdup (_("an assumed 1 Gbit/s link; give the real figure for a better "
                           "forecast"));
    }

  if (cap > 0 && cap < link)
    {
      link = cap;
      g_free (text);
      if (leftover != 0)
        text = g_strdup_printf (_("the speed limit of %u MiB/s libvirt keeps on the guest"),
                                (guint) MIN (leftover, G_MAXUINT));
      else
        text = g_strdup_printf (_("the bandwidth limit of %u MiB/s"), options->bandwidth_mib_s);
    }

  if (how != NULL)
    *how = g_steal_pointer (&text);
  return link;
}

guint64
mw_check_estimate_link (const MwCheckFacts  *facts,
                        char               **how)
{
  return estimate_link (facts, TRUE, how);
}

static guint
round_up_100 (double ms)
{
  return (guint) CLAMP (ceil (ms / 100.0) * 100.0, 100.0, (double) G_MAXUINT);
}

void
mw_forecast_from_windows (guint64  short_bps,
                          guint    short_s,
                          guint64  long_bps,
                          guint    long_s,
                          guint64 *dirty_bps,
                          guint64 *working_set_bytes)
{
  /* Within 25 %, the two windows agree: a steady rate over memory much larger than it. */
  if (long_s > short_s && (double) short_bps > (double) long_bps * 1.25)
    {
      *dirty_bps = short_bps;
      *working_set_bytes = long_bps * long_s;
    }
  else
    {
      *dirty_bps = MAX (short_bps, long_bps);
      *working_set_bytes = 0;
    }
}

void
mw_forecast_predict (guint64                   memory_bytes,
                     guint64                   dirty_bps,
                     guint64                   working_set_bytes,
                     guint64                   link_bps,
                     const MwMigrationOptions *options,
                     MwForecast               *forecast)
{
  mw_forecast_predict_raw (memory_bytes, dirty_bps, working_set_bytes, link_bps, 0, options,
                           forecast);
}

/* The pause and passes as libvirt will count them, around the series' figures. */
static void
set_ranges (MwForecast *forecast,
            double      left,
            double      budget,
            double      raw_link_bps)
{
  guint series = forecast->passes;

  /* What is left may be pages of zeros (sent as markers): the least is the fixed part alone. */
  forecast->switch_over_bytes = (guint64) budget;
  forecast->downtime_ms = (guint) ceil (SWITCH_TYP_MS + left / raw_link_bps * 1000.0);
  forecast->downtime_min_ms = SWITCH_MIN_MS;
  forecast->downtime_max_ms = (guint) ceil (SWITCH_MAX_MS + budget / raw_link_bps * 1000.0);
  /* QEMU's sync before the first page and its last one at the switch-over, then one per pass,
   * and up to one more per pass when what is left hovers around the threshold (the lab: 3 for
   * an idle guest the series copies in 1 pass, 8 for one it copies in 4). */
  forecast->passes_min = series + 2;
  forecast->passes_max = 2 * series + 2;
  forecast->passes = (3 * series + 1) / 2 + 1;
}

void
mw_forecast_predict_raw (guint64                   memory_bytes,
                         guint64                   dirty_bps,
                         guint64                   working_set_bytes,
                         guint64                   link_bps,
                         guint64                   raw_link_bps,
                         const MwMigrationOptions *options,
                         MwForecast               *forecast)
{
  double rewritten = working_set_bytes != 0 ? MIN (working_set_bytes, memory_bytes)
                                            : (double) memory_bytes;
  guint downtime_ms = options->max_downtime_ms != 0 ? options->max_downtime_ms
                                                    : MW_CONVERGENCE_DEFAULT_DOWNTIME_MS;
  double budget = (double) link_bps * downtime_ms / 1000.0;
  double remaining = (double) memory_bytes;
  double seconds = 0;

  memset (forecast, 0, sizeof *forecast);
  forecast->verdict = MW_CONVERGENCE_UNKNOWN;
  if (link_bps == 0)
    return;

  while (forecast->passes < MAX_PASSES)
    {
      double pass_s = remaining / (double) link_bps;
      double left = MIN ((double) dirty_bps * pass_s, rewritten);

      forecast->passes++;
      seconds += pass_s;
      if (left <= budget)
        {
          forecast->verdict = MW_CONVERGENCE_CONVERGING;
          forecast->seconds = seconds;
          set_ranges (forecast, left, budget, (double) MAX (raw_link_bps, link_bps));
          return;
        }
      if (left >= remaining)
        break;
      remaining = left;
    }

  forecast->verdict = MW_CONVERGENCE_NOT_CONVERGING;
  forecast->seconds = -1;
  if (dirty_bps < link_bps)
    {
      /* Shrinking, but too slowly: a longer pause would end it. */
      forecast->remedies |= MW_REMEDY_RAISE_DOWNTIME;
      forecast->suggested_downtime_ms = round_up_100 (remaining / (double) link_bps * 1000.0
                                                      * 1.2);
    }
  if (options->bandwidth_mib_s != 0)
    forecast->remedies |= MW_REMEDY_REMOVE_BANDWIDTH_CAP;
  if (!options->auto_converge)
    forecast->remedies |= MW_REMEDY_RESTART_AUTO_CONVERGE;
  forecast->remedies |= options->postcopy ? MW_REMEDY_SWITCH_TO_POSTCOPY
                                          : MW_REMEDY_RESTART_POSTCOPY;
}

static void
append_remedies (GString                  *fix,
                 const MwForecast         *forecast,
                 const MwMigrationOptions *options)
{
  if (forecast->remedies & MW_REMEDY_RESTART_AUTO_CONVERGE)
    g_string_append (fix, _("Turn on auto-converge: QEMU slows the guest’s vCPUs until its "
                            "memory can be copied.\n"));
  if (forecast->remedies & MW_REMEDY_RESTART_POSTCOPY)
    g_string_append (fix, _("Allow post-copy, and switch to it once the first copy is done: the "
                            "guest moves and fetches the rest of its memory over the network "
                            "(if the network fails meanwhile, the guest waits, paused, until "
                            "the migration is recovered).\n"));
  if (forecast->remedies & MW_REMEDY_SWITCH_TO_POSTCOPY)
    g_string_append (fix, _("Post-copy is allowed: switch to it once the first copy is done.\n"));
  if (forecast->remedies & MW_REMEDY_REMOVE_BANDWIDTH_CAP)
    g_string_append_printf (fix, _("Remove the bandwidth limit of %u MiB/s, or raise it.\n"),
                            options->bandwidth_mib_s);
  if (forecast->remedies & MW_REMEDY_RAISE_DOWNTIME)
    {
      g_autofree char *downtime =
        mw_format_duration_us ((gint64) forecast->suggested_downtime_ms * 1000);

      g_string_append_printf (fix, _("Allow a longer pause at the switch-over: a maximum "
                                     "downtime of %s.\n"), downtime);
    }
  g_string_append (fix, _("Or migrate when the guest is quieter."));
}

/* The link's own speed, which the last copy gets once QEMU lifts the cap: the figure given,
 * else the default mw_check_estimate_link assumes without a cap. */
static guint64
raw_link (const MwCheckFacts *facts)
{
  return estimate_link (facts, FALSE, NULL);
}

void
mw_check_eval_forecast (const MwCheckFacts *facts,
                        guint64             dirty_bps,
                        guint64             working_set_bytes,
                        const char         *message,
                        MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  guint64 memory = domain->memory_kib * 1024;
  g_autofree char *how = NULL;
  guint64 link = mw_check_estimate_link (facts, &how);
  g_autofree char *link_text = mw_format_rate (link);
  g_autofree char *memory_text = mw_format_bytes (memory);
  g_autofree char *dirty_text = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *sentence = NULL;
  g_autoptr(GString) fix = g_string_new (NULL);
  MwForecast forecast;

  if (!domain->active || facts->options->mode == MW_MIGRATION_MODE_OFFLINE)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Nothing to forecast: no running memory is copied."), NULL, NULL,
                           NULL);
      return;
    }

  if (dirty_bps == G_MAXUINT64)
    {
      detail = g_strdup_printf (_("%s of memory over %s: %s."), memory_text, link_text, how);
      sentence = g_strdup_printf (_("The guest’s dirty rate could not be measured (%s), so there "
                                    "is no forecast."), message ? message : _("no reason given"));
      mw_check_result_set (result, MW_CHECK_STATE_WARNING, sentence, detail, NULL, NULL);
      return;
    }

  mw_forecast_predict_raw (memory, dirty_bps, working_set_bytes, link, raw_link (facts),
                           facts->options, &forecast);
  forecast.memory_bytes = memory;
  forecast.dirty_bps = dirty_bps;
  forecast.link_bps = link;
  dirty_text = mw_format_rate (dirty_bps);
  if (forecast.verdict == MW_CONVERGENCE_CONVERGING)
    detail = g_strdup_printf (_("Measured dirty rate: %s. Link: %s, from %s. Memory: %s. Memory "
                                "passes as libvirt counts them: %u–%u."), dirty_text, link_text,
                              how, memory_text, forecast.passes_min, forecast.passes_max);
  else
    detail = g_strdup_printf (_("Measured dirty rate: %s. Link: %s, from %s. Memory: %s."),
                              dirty_text, link_text, how, memory_text);
  if (working_set_bytes != 0)
    {
      g_autofree char *set_text = mw_format_bytes (working_set_bytes);
      g_autofree char *with_set = g_strdup_printf (
        _("%s The guest keeps rewriting about %s of memory, so no pass leaves more than that to "
          "copy again."), detail, set_text);

      g_free (detail);
      detail = g_steal_pointer (&with_set);
    }

  if (forecast.verdict == MW_CONVERGENCE_CONVERGING)
    {
      g_autofree char *time_text = mw_format_duration_us ((gint64) (forecast.seconds * G_USEC_PER_SEC));
      g_autofree char *left_text = mw_format_bytes (forecast.switch_over_bytes);
      g_autofree char *with_left = g_strdup_printf (
        _("%s QEMU switches over once no more than %s is left, and sends that last part with "
          "the bandwidth limit lifted."), detail, left_text);

      g_free (detail);
      detail = g_steal_pointer (&with_left);
      sentence = g_strdup_printf (_("Converges in about %s, with a pause of %u–%u ms."),
                                  time_text, forecast.downtime_min_ms, forecast.downtime_max_ms);
      mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, detail, NULL, NULL);
      /* The figures themselves travel on to the job and its report (mw-forecast.h). */
      result->forecast = mw_forecast_copy (&forecast);
      return;
    }

  append_remedies (fix, &forecast, facts->options);
  if (facts->options->auto_converge)
    sentence = g_strdup_printf (_("The guest dirties memory at %s and the link moves %s: it "
                                  "converges only once auto-converge has slowed the guest "
                                  "down."), dirty_text, link_text);
  else
    sentence = g_strdup_printf (_("Will not converge with these settings: the guest dirties "
                                  "memory at %s and the link moves %s."), dirty_text, link_text);
  mw_check_result_set (result, MW_CHECK_STATE_WARNING, sentence, detail, fix->str, NULL);
  result->forecast = mw_forecast_copy (&forecast);
}

/* Worker: QEMU samples the guest's pages for calc_s seconds (mw-dirty-rate.h). */
static guint64
measure_dirty_rate (const MwCheckContext  *context,
                    int                    calc_s,
                    GCancellable          *cancellable,
                    char                 **message)
{
  g_autoptr(GError) error = NULL;
  virDomainPtr domain = mw_libvirt_lookup_domain (context->sconn, context->facts->domain->uuid,
                                                  NULL, &error);
  MwDirtyRate rate = { 0 };
  gboolean ok;

  if (domain == NULL)
    {
      *message = g_strdup (error->message);
      return G_MAXUINT64;
    }
  ok = mw_dirty_rate_measure_domain (domain, (guint) calc_s, cancellable, &rate, &error);
  virDomainFree (domain);
  virResetLastError ();
  if (!ok)
    {
      g_free (*message);
      *message = g_strdup (error->message);
      return G_MAXUINT64;
    }
  return rate.bytes_per_second;
}

void
mw_check_run_forecast (const MwCheckContext *context,
                       MwCheckResult        *result,
                       GCancellable         *cancellable)
{
  const MwCheckFacts *facts = context->facts;
  g_autofree char *message = NULL;
  guint64 rate = G_MAXUINT64;
  guint64 working_set = 0;
  /* Two windows, short then long, within the check's time (default 30 s). */
  int long_s = (int) CLAMP (context->timeout_s / 4, 1, 3);

  if (facts->domain->active && facts->options->mode == MW_MIGRATION_MODE_LIVE)
    {
      guint64 short_rate = measure_dirty_rate (context, 1, cancellable, &message);
      guint64 long_rate = G_MAXUINT64;

      if (short_rate != G_MAXUINT64 && long_s > 1)
        long_rate = measure_dirty_rate (context, long_s, cancellable, &message);
      if (short_rate == G_MAXUINT64)
        rate = G_MAXUINT64;
      else if (long_rate == G_MAXUINT64)
        rate = short_rate;
      else
        mw_forecast_from_windows (short_rate, 1, long_rate, long_s, &rate, &working_set);
    }

  mw_check_eval_forecast (facts, rate, working_set, message, result);
}
