/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-report.c: a snapshot of one migration run and its JSON and CSV forms.
 *
 * Threads: mw_report_new () copies on the main thread; everything after reads only, so the
 * worker of mw_report_write_async () can format and write while the main thread goes on.
 * The history copy is owned by the report and never touched by anyone else.
 */

#include "config.h"

#include <string.h>

#include "mw-core-enums.h"
#include "mw-json.h"
#include "mw-migration-summary.h"
#include "mw-report.h"

struct _MwReport
{
  GObject parent_instance;

  /* Owned, immutable after mw_report_new () */
  char *domain_name;
  char *source_uri;
  char *source_host;
  char *destination_uri;
  char *destination_host;
  char *peer_uri;                   /* NULL: the destination URI */
  MwMigrationOptions *options;      /* NULL: unknown */
  MwReportOutcome outcome;
  char *outcome_message;
  GDateTime *started;
  GDateTime *generated;
  gint64 downtime_ms;               /* -1: none */
  gint64 downtime_net_ms;           /* -1: none */
  gint64 call_ms;                   /* 0: not timed */
  MwForecast *forecast;             /* NULL: none was made */
  guint passes;                     /* the job's count, or the history's */
  MwSampleHistory *history;         /* a private copy; NULL: none */

  /* The pinger, copied */
  gboolean have_ping;
  char *ping_address;
  guint ping_interval_ms;
  guint ping_timeout_ms;
  guint ping_sent;
  guint ping_received;
  guint ping_lost;
  gint64 ping_longest_gap_us;
  GArray *ping_records;             /* MwPingRecord */
};

G_DEFINE_FINAL_TYPE (MwReport, mw_report, G_TYPE_OBJECT)

static void
mw_report_finalize (GObject *object)
{
  MwReport *self = MW_REPORT (object);

  g_clear_pointer (&self->domain_name, g_free);
  g_clear_pointer (&self->source_uri, g_free);
  g_clear_pointer (&self->source_host, g_free);
  g_clear_pointer (&self->destination_uri, g_free);
  g_clear_pointer (&self->destination_host, g_free);
  g_clear_pointer (&self->peer_uri, g_free);
  g_clear_pointer (&self->options, mw_migration_options_free);
  g_clear_pointer (&self->outcome_message, g_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->generated, g_date_time_unref);
  g_clear_object (&self->history);
  g_clear_pointer (&self->forecast, mw_forecast_free);
  g_clear_pointer (&self->ping_address, g_free);
  g_clear_pointer (&self->ping_records, g_array_unref);

  G_OBJECT_CLASS (mw_report_parent_class)->finalize (object);
}

static void
mw_report_class_init (MwReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_report_finalize;
}

static void
mw_report_init (MwReport *self)
{
  self->downtime_ms = -1;
  self->downtime_net_ms = -1;
  self->ping_longest_gap_us = -1;
  self->ping_records = g_array_new (FALSE, FALSE, sizeof (MwPingRecord));
}

MwReport *
mw_report_new (const MwReportInfo *info,
               MwSampleHistory    *history,
               MwPinger           *pinger)
{
  MwReport *self;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (history == NULL || MW_IS_SAMPLE_HISTORY (history), NULL);
  g_return_val_if_fail (pinger == NULL || MW_IS_PINGER (pinger), NULL);

  self = g_object_new (MW_TYPE_REPORT, NULL);
  self->domain_name = g_strdup (info->domain_name);
  self->source_uri = g_strdup (info->source_uri);
  self->source_host = g_strdup (info->source_host);
  self->destination_uri = g_strdup (info->destination_uri);
  self->destination_host = g_strdup (info->destination_host);
  self->peer_uri = g_strdup (info->peer_uri);
  self->options = info->options != NULL ? mw_migration_options_copy (info->options) : NULL;
  self->outcome = info->outcome;
  self->outcome_message = g_strdup (info->outcome_message);
  self->started = info->started != NULL ? g_date_time_ref (info->started) : NULL;
  self->generated = g_date_time_new_now_utc ();
  self->downtime_ms = info->downtime_ms;
  self->downtime_net_ms = info->downtime_net_ms;
  self->call_ms = MAX (info->call_ms, 0);
  self->forecast = info->forecast != NULL ? mw_forecast_copy (info->forecast) : NULL;

  if (history != NULL)
    {
      self->history = mw_sample_history_copy (history);

      /* libvirt's completed-job statistics, when the job did not pass them on. */
      if (self->downtime_ms < 0)
        {
          guint i;

          for (i = mw_sample_history_get_n_samples (self->history); i > 0; i--)
            {
              const MwJobSample *sample = mw_sample_history_get_sample (self->history, i - 1);

              if ((sample->have & MW_JOB_HAVE_DOWNTIME) != 0)
                {
                  /* Both from the same statistics. */
                  self->downtime_ms = (gint64) sample->downtime_ms;
                  self->downtime_net_ms = (sample->have & MW_JOB_HAVE_DOWNTIME_NET) != 0
                                            ? (gint64) sample->downtime_net_ms : -1;
                  break;
                }
            }
        }
    }
  self->passes = MAX (info->passes, self->history != NULL
                                       ? (guint) mw_sample_history_get_passes (self->history)
                                       : 0);
  if (self->downtime_ms < 0)
    self->downtime_ms = -1;
  /* Without libvirt's downtime, its part without the network means nothing. */
  if (self->downtime_net_ms < 0 || self->downtime_ms < 0)
    self->downtime_net_ms = -1;

  if (pinger != NULL)
    {
      guint n = mw_pinger_get_n_records (pinger);
      guint i;

      self->have_ping = TRUE;
      self->ping_address = g_strdup (mw_pinger_get_address (pinger));
      self->ping_interval_ms = mw_pinger_get_interval_ms (pinger);
      self->ping_timeout_ms = mw_pinger_get_timeout_ms (pinger);
      self->ping_sent = mw_pinger_get_n_records (pinger);
      self->ping_received = mw_pinger_get_received (pinger);
      self->ping_lost = mw_pinger_get_lost (pinger);
      self->ping_longest_gap_us = mw_pinger_get_longest_gap_us (pinger);
      for (i = 0; i < n; i++)
        g_array_append_vals (self->ping_records, mw_pinger_get_record (pinger, i), 1);
    }

  return self;
}

MwReportOutcome
mw_report_get_outcome (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), MW_REPORT_OUTCOME_UNKNOWN);

  return self->outcome;
}

gint64
mw_report_get_libvirt_time_ms (MwReport *self)
{
  guint64 elapsed = 0;
  guint i;

  g_return_val_if_fail (MW_IS_REPORT (self), -1);

  if (self->history == NULL)
    return -1;

  for (i = 0; i < mw_sample_history_get_n_samples (self->history); i++)
    elapsed = MAX (elapsed, mw_sample_history_get_sample (self->history, i)->elapsed_ms);
  return elapsed > 0 ? (gint64) MIN (elapsed, (guint64) G_MAXINT64) : -1;
}

gint64
mw_report_get_total_time_ms (MwReport *self)
{
  gint64 libvirt_ms;

  g_return_val_if_fail (MW_IS_REPORT (self), 0);

  /* One figure everywhere: the window and the CLI show the job's timing of the call. */
  if (self->call_ms > 0)
    return self->call_ms;

  libvirt_ms = mw_report_get_libvirt_time_ms (self);
  if (libvirt_ms >= 0)
    return libvirt_ms;

  return self->history != NULL ? mw_sample_history_get_end_us (self->history) / 1000 : 0;
}

gint64
mw_report_get_downtime_ms (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), -1);

  return self->downtime_ms;
}

gint64
mw_report_get_downtime_net_ms (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), -1);

  return self->downtime_net_ms;
}

guint
mw_report_get_passes (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), 0);

  return self->passes;
}

const MwForecast *
mw_report_get_forecast (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), NULL);

  return self->forecast;
}

void
mw_report_get_forecast_outcome (MwReport          *self,
                                MwForecastOutcome *outcome)
{
  g_return_if_fail (MW_IS_REPORT (self));
  g_return_if_fail (outcome != NULL);

  outcome->ended = self->outcome != MW_REPORT_OUTCOME_UNKNOWN;
  outcome->completed = self->outcome == MW_REPORT_OUTCOME_COMPLETED;
  outcome->downtime_ms = self->downtime_ms;
  outcome->passes = self->passes;
  outcome->total_ms = mw_report_get_total_time_ms (self);
  outcome->remedied = mw_history_has_remedy (self->history);
}

gint64
mw_report_get_longest_ping_gap_us (MwReport *self)
{
  g_return_val_if_fail (MW_IS_REPORT (self), -1);

  return self->have_ping ? self->ping_longest_gap_us : -1;
}

/* JSON */

static const char *
nick (GType type,
      int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          GDateTime   *value)
{
  g_autofree char *text = value != NULL ? g_date_time_format_iso8601 (value) : NULL;

  mw_json_add_string (builder, name, text);
}

static void
add_endpoint (JsonBuilder *builder,
              const char  *name,
              const char  *uri,
              const char  *host)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  mw_json_add_string (builder, "uri", uri);
  mw_json_add_string (builder, "host", host);
  json_builder_end_object (builder);
}

static void
add_options (MwReport    *self,
             JsonBuilder *builder)
{
  const MwMigrationOptions *options = self->options;
  const char *dest_uri = self->destination_uri;
  g_autofree char *virsh = NULL;

  json_builder_set_member_name (builder, "options");
  if (options == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  /* The destination as the job gave it to libvirt: as the source sees it, peer-to-peer. */
  if (options->connection != MW_MIGRATION_CONNECTION_CLIENT && self->peer_uri != NULL)
    dest_uri = self->peer_uri;
  if (self->domain_name != NULL)
    virsh = mw_migration_options_to_virsh_text (options, self->source_uri, self->domain_name,
                                                dest_uri, NULL);

  json_builder_begin_object (builder);
  mw_json_add_string (builder, "mode", nick (MW_TYPE_MIGRATION_MODE, options->mode));
  mw_json_add_string (builder, "persistence",
                      nick (MW_TYPE_MIGRATION_PERSISTENCE, options->persistence));
  mw_json_add_string (builder, "storage", nick (MW_TYPE_MIGRATION_STORAGE, options->storage));
  mw_json_add_int (builder, "max_downtime_ms", options->max_downtime_ms);
  mw_json_add_int (builder, "bandwidth_mib_s", options->bandwidth_mib_s);
  mw_json_add_bool (builder, "auto_converge", options->auto_converge);
  mw_json_add_bool (builder, "postcopy", options->postcopy);
  mw_json_add_int (builder, "postcopy_after_s", options->postcopy_after_s);
  mw_json_add_string (builder, "compression",
                      nick (MW_TYPE_MIGRATION_COMPRESSION, options->compression));
  mw_json_add_string (builder, "connection",
                      nick (MW_TYPE_MIGRATION_CONNECTION, options->connection));
  mw_json_add_bool (builder, "tls", options->tls);
  mw_json_add_bool (builder, "unsafe", options->unsafe);
  mw_json_add_int (builder, "parallel_connections", options->parallel_connections);
  mw_json_add_bool (builder, "zerocopy", options->zerocopy);
  mw_json_add_int (builder, "xbzrle_cache_mib", options->xbzrle_cache_mib);
  mw_json_add_string (builder, "virsh", virsh);
  json_builder_end_object (builder);
}

static void
add_sample (JsonBuilder       *builder,
            const MwJobSample *sample)
{
  json_builder_begin_object (builder);
  mw_json_add_int (builder, "time_us", sample->time_us);
  mw_json_add_string (builder, "state", nick (MW_TYPE_JOB_STATE, sample->state));
  mw_json_add_int (builder, "have", sample->have);
  mw_json_add_u64 (builder, "elapsed_ms", sample->elapsed_ms);
  mw_json_add_u64 (builder, "data_total", sample->data_total);
  mw_json_add_u64 (builder, "data_processed", sample->data_processed);
  mw_json_add_u64 (builder, "data_remaining", sample->data_remaining);
  mw_json_add_u64 (builder, "memory_total", sample->memory_total);
  mw_json_add_u64 (builder, "memory_processed", sample->memory_processed);
  mw_json_add_u64 (builder, "memory_remaining", sample->memory_remaining);
  mw_json_add_u64 (builder, "memory_bps", sample->memory_bps);
  mw_json_add_u64 (builder, "dirty_rate_bps", sample->dirty_rate_bps);
  mw_json_add_u64 (builder, "page_size", sample->page_size);
  mw_json_add_u64 (builder, "iteration", sample->iteration);
  mw_json_add_u64 (builder, "postcopy_requests", sample->postcopy_requests);
  mw_json_add_u64 (builder, "expected_downtime_ms", sample->expected_downtime_ms);
  mw_json_add_u64 (builder, "downtime_ms", sample->downtime_ms);
  mw_json_add_u64 (builder, "downtime_net_ms", sample->downtime_net_ms);
  mw_json_add_u64 (builder, "setup_time_ms", sample->setup_time_ms);
  mw_json_add_u64 (builder, "disk_total", sample->disk_total);
  mw_json_add_u64 (builder, "disk_processed", sample->disk_processed);
  mw_json_add_u64 (builder, "disk_remaining", sample->disk_remaining);
  mw_json_add_int (builder, "auto_converge_throttle", sample->auto_converge_throttle);
  json_builder_end_object (builder);
}

/* The remedies the user took while it ran, in order, each with the result page's sentence. */
static void
add_remedies (MwReport    *self,
              JsonBuilder *builder)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (MW_TYPE_REMEDY);
  guint n = self->history != NULL ? mw_sample_history_get_n_events (self->history) : 0;

  json_builder_set_member_name (builder, "remedies");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (self->history, i);
      GFlagsValue *value;
      g_autofree char *text = NULL;

      if (event->kind != MW_HISTORY_EVENT_REMEDY)
        continue;
      value = g_flags_get_first_value (klass, (guint) event->value);
      text = mw_remedy_taken_describe ((MwRemedy) event->value, event->time_us);
      json_builder_begin_object (builder);
      mw_json_add_string (builder, "remedy", value != NULL ? value->value_nick : NULL);
      mw_json_add_int (builder, "time_ms", event->time_us / 1000);
      mw_json_add_string (builder, "text", text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_summary (MwReport    *self,
             JsonBuilder *builder)
{
  guint64 passes = self->passes;
  guint64 peak_dirty = 0;
  guint64 peak_throughput = 0;
  guint64 data_processed = 0;
  guint max_throttle = 0;
  guint n = self->history != NULL ? mw_sample_history_get_n_samples (self->history) : 0;
  guint i;

  for (i = 0; i < n; i++)
    {
      const MwJobSample *sample = mw_sample_history_get_sample (self->history, i);

      peak_dirty = MAX (peak_dirty, sample->dirty_rate_bps);
      peak_throughput = MAX (peak_throughput, sample->memory_bps);
      data_processed = MAX (data_processed, sample->data_processed);
      max_throttle = MAX (max_throttle, sample->auto_converge_throttle);
    }

  json_builder_set_member_name (builder, "summary");
  json_builder_begin_object (builder);
  mw_json_add_string (builder, "outcome", nick (MW_TYPE_REPORT_OUTCOME, self->outcome));
  mw_json_add_string (builder, "message", self->outcome_message);
  mw_json_add_int (builder, "total_time_ms", mw_report_get_total_time_ms (self));
  mw_json_add_optional (builder, "libvirt_time_ms", mw_report_get_libvirt_time_ms (self));
  mw_json_add_optional (builder, "downtime_ms", self->downtime_ms);
  mw_json_add_optional (builder, "downtime_net_ms", self->downtime_net_ms);
  mw_json_add_optional (builder, "longest_ping_gap_ms",
                self->have_ping ? self->ping_longest_gap_us / 1000 : -1);
  mw_json_add_u64 (builder, "passes", passes);
  mw_json_add_u64 (builder, "peak_dirty_rate_bps", peak_dirty);
  mw_json_add_u64 (builder, "peak_throughput_bps", peak_throughput);
  mw_json_add_u64 (builder, "data_processed", data_processed);
  mw_json_add_int (builder, "max_throttle_percent", max_throttle);
  mw_json_add_optional (builder, "pings_sent", self->have_ping ? (gint64) self->ping_sent : -1);
  mw_json_add_optional (builder, "pings_received",
                        self->have_ping ? (gint64) self->ping_received : -1);
  mw_json_add_optional (builder, "pings_lost", self->have_ping ? (gint64) self->ping_lost : -1);
  add_remedies (self, builder);
  json_builder_end_object (builder);
}

static void
add_ping (MwReport    *self,
          JsonBuilder *builder)
{
  guint i;

  json_builder_set_member_name (builder, "ping");
  if (!self->have_ping)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  mw_json_add_string (builder, "address", self->ping_address);
  mw_json_add_int (builder, "interval_ms", self->ping_interval_ms);
  mw_json_add_int (builder, "timeout_ms", self->ping_timeout_ms);
  mw_json_add_int (builder, "sent", self->ping_sent);
  mw_json_add_int (builder, "received", self->ping_received);
  mw_json_add_int (builder, "lost", self->ping_lost);
  mw_json_add_int (builder, "longest_gap_us", self->ping_longest_gap_us);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (i = 0; i < self->ping_records->len; i++)
    {
      const MwPingRecord *record = &g_array_index (self->ping_records, MwPingRecord, i);

      json_builder_begin_object (builder);
      mw_json_add_int (builder, "sequence", record->sequence);
      mw_json_add_int (builder, "sent_us", record->sent_us);
      mw_json_add_int (builder, "rtt_us", record->rtt_us);
      mw_json_add_bool (builder, "lost", record->lost);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

JsonNode *
mw_report_to_json (MwReport *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  guint n_samples;
  guint n_events;
  guint i;

  g_return_val_if_fail (MW_IS_REPORT (self), NULL);

  n_samples = self->history != NULL ? mw_sample_history_get_n_samples (self->history) : 0;
  n_events = self->history != NULL ? mw_sample_history_get_n_events (self->history) : 0;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  mw_json_add_string (builder, "format", "mig-wizard-report");
  mw_json_add_int (builder, "version", 1);
  add_date (builder, "generated", self->generated);
  add_date (builder, "started", self->started);
  mw_json_add_string (builder, "domain", self->domain_name);
  add_endpoint (builder, "source", self->source_uri, self->source_host);
  add_endpoint (builder, "destination", self->destination_uri, self->destination_host);
  add_options (self, builder);
  add_summary (self, builder);
  {
    MwForecastOutcome outcome;

    mw_report_get_forecast_outcome (self, &outcome);
    mw_forecast_add_json (builder, "forecast", self->forecast, &outcome);
  }

  json_builder_set_member_name (builder, "samples");
  json_builder_begin_array (builder);
  for (i = 0; i < n_samples; i++)
    add_sample (builder, mw_sample_history_get_sample (self->history, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (i = 0; i < n_events; i++)
    {
      const MwHistoryEvent *event = mw_sample_history_get_event (self->history, i);

      json_builder_begin_object (builder);
      mw_json_add_int (builder, "time_us", event->time_us);
      mw_json_add_string (builder, "kind", nick (MW_TYPE_HISTORY_EVENT_KIND, event->kind));
      mw_json_add_int (builder, "value", event->value);
      mw_json_add_string (builder, "text", event->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_ping (self, builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
mw_report_to_json_data (MwReport *self,
                        gsize    *length)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (MW_IS_REPORT (self), NULL);

  root = mw_report_to_json (self);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, length);
}

/* "held=yes", "held=no", "held=unknown": whether the outcome lies in what was forecast. */
static const char *
match_word (MwForecastMatch match)
{
  return match == MW_FORECAST_HELD ? "yes" : match == MW_FORECAST_MISSED ? "no" : "unknown";
}

/* Two '#' lines after the samples, for a person reading the file (the trace loader skips
 * them): the forecast, then the outcome beside it. Untranslated, key=value fields. */
static void
append_forecast_lines (MwReport *self,
                       GString  *csv)
{
  const MwForecast *f = self->forecast;
  g_autoptr(GEnumClass) verdicts = g_type_class_ref (MW_TYPE_CONVERGENCE_VERDICT);
  MwForecastOutcome outcome;
  char seconds[G_ASCII_DTOSTR_BUF_SIZE] = "never";

  mw_report_get_forecast_outcome (self, &outcome);
  if (f == NULL)
    g_string_append (csv, "# forecast,none\n");
  else
    {
      if (f->verdict == MW_CONVERGENCE_CONVERGING)
        g_ascii_formatd (seconds, sizeof seconds, "%.1f", f->seconds);
      g_string_append_printf (csv, "# forecast,verdict=%s,seconds=%s,pause_ms=%u-%u,"
                              "passes=%u-%u,dirty_rate_bps=%" G_GUINT64_FORMAT
                              ",link_bps=%" G_GUINT64_FORMAT "\n",
                              g_enum_get_value (verdicts, f->verdict)->value_nick, seconds,
                              f->downtime_min_ms, f->downtime_max_ms, f->passes_min,
                              f->passes_max, f->dirty_bps, f->link_bps);
    }
  g_string_append_printf (csv, "# outcome,outcome=%s,downtime_ms=%" G_GINT64_FORMAT
                          ",passes=%u,total_time_ms=%" G_GINT64_FORMAT
                          ",converges_held=%s,pause_held=%s,passes_held=%s\n",
                          nick (MW_TYPE_REPORT_OUTCOME, self->outcome), outcome.downtime_ms,
                          outcome.passes, outcome.total_ms,
                          match_word (mw_forecast_match (f, &outcome, MW_FORECAST_ITEM_CONVERGES)),
                          match_word (mw_forecast_match (f, &outcome, MW_FORECAST_ITEM_PAUSE)),
                          match_word (mw_forecast_match (f, &outcome, MW_FORECAST_ITEM_PASSES)));
}

char *
mw_report_to_csv (MwReport *self)
{
  g_autoptr(MwSampleHistory) empty = NULL;
  g_autofree char *samples = NULL;
  GString *csv;

  g_return_val_if_fail (MW_IS_REPORT (self), NULL);

  if (self->history != NULL)
    samples = mw_sample_history_to_csv (self->history);
  else
    {
      /* Just the header line. */
      empty = mw_sample_history_new (1);
      samples = mw_sample_history_to_csv (empty);
    }
  csv = g_string_new (samples);
  append_forecast_lines (self, csv);
  return g_string_free (csv, FALSE);
}

/* Writing */

static gboolean
replace_contents (GFile         *file,
                  const char    *data,
                  gsize          length,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return g_file_replace_contents (file, data, length, NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}

gboolean
mw_report_write (MwReport      *self,
                 GFile         *json_file,
                 GFile         *csv_file,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *json = NULL;
  gsize json_length = 0;

  g_return_val_if_fail (MW_IS_REPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (json_file), FALSE);
  g_return_val_if_fail (csv_file == NULL || G_IS_FILE (csv_file), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  json = mw_report_to_json_data (self, &json_length);
  if (!replace_contents (json_file, json, json_length, cancellable, error))
    return FALSE;

  if (csv_file != NULL)
    {
      g_autofree char *csv = mw_report_to_csv (self);

      if (!replace_contents (csv_file, csv, strlen (csv), cancellable, error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  GFile *json_file;
  GFile *csv_file;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *write_data = data;

  g_clear_object (&write_data->json_file);
  g_clear_object (&write_data->csv_file);
  g_free (write_data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;

  if (mw_report_write (source_object, data->json_file, data->csv_file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_report_write_async (MwReport            *self,
                       GFile               *json_file,
                       GFile               *csv_file,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (MW_IS_REPORT (self));
  g_return_if_fail (G_IS_FILE (json_file));
  g_return_if_fail (csv_file == NULL || G_IS_FILE (csv_file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (WriteData, 1);
  data->json_file = g_object_ref (json_file);
  data->csv_file = csv_file != NULL ? g_object_ref (csv_file) : NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_report_write_async);
  g_task_set_task_data (task, data, write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
mw_report_write_finish (MwReport      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (MW_IS_REPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_report_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
