/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-forecast.c: the forecast as a value, and the one place that holds it against the outcome
 * (the report, the result page and the CLI all read these). */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-core-enums.h"
#include "mw-forecast.h"
#include "mw-json.h"

G_DEFINE_BOXED_TYPE (MwForecast, mw_forecast, mw_forecast_copy, mw_forecast_free)

MwForecast *
mw_forecast_copy (const MwForecast *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

void
mw_forecast_free (MwForecast *self)
{
  g_free (self);
}

static gboolean
has_ranges (const MwForecast *forecast)
{
  return forecast != NULL && forecast->verdict == MW_CONVERGENCE_CONVERGING;
}

MwForecastMatch
mw_forecast_match (const MwForecast        *forecast,
                   const MwForecastOutcome *outcome,
                   MwForecastItem           item)
{
  g_return_val_if_fail (outcome != NULL, MW_FORECAST_UNCHECKED);

  if (forecast == NULL || forecast->verdict == MW_CONVERGENCE_UNKNOWN)
    return MW_FORECAST_UNCHECKED;

  switch (item)
    {
    case MW_FORECAST_ITEM_CONVERGES:
      /* A failure or an abort says nothing about whether it would have converged — except
       * that one forecast to converge did not, which only a completed run could prove. */
      if (!outcome->ended)
        return MW_FORECAST_UNCHECKED;
      if (!outcome->completed)
        return MW_FORECAST_UNCHECKED;
      if (forecast->verdict == MW_CONVERGENCE_CONVERGING)
        return MW_FORECAST_HELD;
      return outcome->remedied ? MW_FORECAST_UNCHECKED : MW_FORECAST_MISSED;
    case MW_FORECAST_ITEM_PAUSE:
      if (!has_ranges (forecast) || !outcome->completed || outcome->downtime_ms < 0)
        return MW_FORECAST_UNCHECKED;
      return outcome->downtime_ms >= forecast->downtime_min_ms
             && outcome->downtime_ms <= forecast->downtime_max_ms ? MW_FORECAST_HELD
                                                                  : MW_FORECAST_MISSED;
    case MW_FORECAST_ITEM_PASSES:
      if (!has_ranges (forecast) || !outcome->completed || outcome->passes == 0)
        return MW_FORECAST_UNCHECKED;
      return outcome->passes >= forecast->passes_min
             && outcome->passes <= forecast->passes_max ? MW_FORECAST_HELD : MW_FORECAST_MISSED;
    case MW_FORECAST_N_ITEMS:
    default:
      g_return_val_if_reached (MW_FORECAST_UNCHECKED);
    }
}

const char *
mw_forecast_item_caption (MwForecastItem item)
{
  switch (item)
    {
    case MW_FORECAST_ITEM_CONVERGES:
      return _("Convergence");
    case MW_FORECAST_ITEM_PAUSE:
      return _("Pause at the switch-over");
    case MW_FORECAST_ITEM_PASSES:
      return _("Memory passes");
    case MW_FORECAST_N_ITEMS:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
mw_forecast_format_predicted (const MwForecast *forecast,
                              MwForecastItem    item)
{
  if (forecast == NULL || forecast->verdict == MW_CONVERGENCE_UNKNOWN)
    return NULL;

  switch (item)
    {
    case MW_FORECAST_ITEM_CONVERGES:
      if (forecast->verdict == MW_CONVERGENCE_CONVERGING)
        {
          g_autofree char *time = mw_format_duration_us ((gint64) (forecast->seconds
                                                                   * G_USEC_PER_SEC));

          return g_strdup_printf (_("converges in about %s"), time);
        }
      return g_strdup (_("does not converge"));
    case MW_FORECAST_ITEM_PAUSE:
      /* Translators: a range of milliseconds, "25–400 ms" */
      return has_ranges (forecast) ? g_strdup_printf (_("%u–%u ms"), forecast->downtime_min_ms,
                                                      forecast->downtime_max_ms)
                                   : NULL;
    case MW_FORECAST_ITEM_PASSES:
      /* Translators: a range of memory passes, "3–6" */
      return has_ranges (forecast) ? g_strdup_printf (_("%u–%u"), forecast->passes_min,
                                                      forecast->passes_max)
                                   : NULL;
    case MW_FORECAST_N_ITEMS:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
mw_forecast_format_actual (const MwForecastOutcome *outcome,
                           MwForecastItem           item)
{
  g_return_val_if_fail (outcome != NULL, NULL);

  switch (item)
    {
    case MW_FORECAST_ITEM_CONVERGES:
      if (!outcome->ended)
        return NULL;
      if (outcome->completed && outcome->total_ms >= 0)
        {
          g_autofree char *time = mw_format_duration_us (outcome->total_ms * 1000);

          return g_strdup_printf (_("completed in %s"), time);
        }
      return g_strdup (outcome->completed ? _("completed") : _("did not complete"));
    case MW_FORECAST_ITEM_PAUSE:
      return outcome->completed && outcome->downtime_ms >= 0
               ? g_strdup_printf (_("%u ms"), (guint) MIN (outcome->downtime_ms, G_MAXUINT))
               : NULL;
    case MW_FORECAST_ITEM_PASSES:
      return outcome->passes > 0 ? g_strdup_printf ("%u", outcome->passes) : NULL;
    case MW_FORECAST_N_ITEMS:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
mw_forecast_describe (const MwForecast        *forecast,
                      const MwForecastOutcome *outcome,
                      MwForecastItem           item)
{
  g_autofree char *predicted = mw_forecast_format_predicted (forecast, item);
  g_autofree char *actual = mw_forecast_format_actual (outcome, item);
  const char *caption = mw_forecast_item_caption (item);
  const char *none = _("unknown");

  if (forecast == NULL || forecast->verdict == MW_CONVERGENCE_UNKNOWN)
    /* Translators: the caption, then the outcome's figure */
    return g_strdup_printf (_("%s: no forecast was made; outcome %s."), caption,
                            actual != NULL ? actual : none);

  switch (mw_forecast_match (forecast, outcome, item))
    {
    case MW_FORECAST_HELD:
      /* Translators: the caption, the forecast's figure, the outcome's figure */
      return g_strdup_printf (_("%s: forecast %s, outcome %s (as forecast)."), caption,
                              predicted, actual);
    case MW_FORECAST_MISSED:
      /* Translators: the caption, the forecast's figure, the outcome's figure */
      return g_strdup_printf (_("%s: forecast %s, outcome %s (not as forecast)."), caption,
                              predicted, actual);
    case MW_FORECAST_UNCHECKED:
    default:
      /* Translators: the caption, the forecast's figure, the outcome's figure */
      return g_strdup_printf (_("%s: forecast %s, outcome %s."), caption,
                              predicted != NULL ? predicted : _("none for this verdict"),
                              actual != NULL ? actual : none);
    }
}

static void
add_match (JsonBuilder     *builder,
           const char      *name,
           MwForecastMatch  match)
{
  json_builder_set_member_name (builder, name);
  if (match == MW_FORECAST_UNCHECKED)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, match == MW_FORECAST_HELD);
}

void
mw_forecast_add_json (JsonBuilder             *builder,
                      const char              *name,
                      const MwForecast        *forecast,
                      const MwForecastOutcome *outcome)
{
  g_autoptr(GEnumClass) klass = NULL;

  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (outcome != NULL);

  json_builder_set_member_name (builder, name);
  if (forecast == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  klass = g_type_class_ref (MW_TYPE_CONVERGENCE_VERDICT);
  json_builder_begin_object (builder);
  mw_json_add_string (builder, "verdict",
                      g_enum_get_value (klass, forecast->verdict)->value_nick);
  json_builder_set_member_name (builder, "seconds");
  if (forecast->verdict == MW_CONVERGENCE_CONVERGING)
    json_builder_add_double_value (builder, forecast->seconds);
  else
    json_builder_add_null_value (builder);
  mw_json_add_int (builder, "downtime_ms", forecast->downtime_ms);
  mw_json_add_int (builder, "downtime_min_ms", forecast->downtime_min_ms);
  mw_json_add_int (builder, "downtime_max_ms", forecast->downtime_max_ms);
  mw_json_add_int (builder, "passes", forecast->passes);
  mw_json_add_int (builder, "passes_min", forecast->passes_min);
  mw_json_add_int (builder, "passes_max", forecast->passes_max);
  mw_json_add_u64 (builder, "switch_over_bytes", forecast->switch_over_bytes);
  mw_json_add_u64 (builder, "memory_bytes", forecast->memory_bytes);
  mw_json_add_u64 (builder, "dirty_rate_bps", forecast->dirty_bps);
  mw_json_add_u64 (builder, "link_bps", forecast->link_bps);
  json_builder_set_member_name (builder, "held");
  json_builder_begin_object (builder);
  add_match (builder, "converges", mw_forecast_match (forecast, outcome,
                                                      MW_FORECAST_ITEM_CONVERGES));
  add_match (builder, "pause", mw_forecast_match (forecast, outcome, MW_FORECAST_ITEM_PAUSE));
  add_match (builder, "passes", mw_forecast_match (forecast, outcome, MW_FORECAST_ITEM_PASSES));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}
