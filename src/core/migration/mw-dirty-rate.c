/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-dirty-rate.c: the guest's dirty rate from libvirt's own calculation (see the header). */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-convergence.h" /* mw_format_rate */
#include "mw-dirty-rate.h"
#include "mw-libvirt.h"

#define POLL_US (G_USEC_PER_SEC / 2)
/* QEMU's result may come this long after the window closes (the lab: under 0.5 s). */
#define GRACE_S 5

gboolean
mw_dirty_rate_measure_domain (virDomainPtr   domain,
                              guint          seconds,
                              GCancellable  *cancellable,
                              MwDirtyRate   *rate,
                              GError       **error)
{
  gint64 deadline;

  g_return_val_if_fail (domain != NULL, FALSE);
  g_return_val_if_fail (rate != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  seconds = CLAMP (seconds, 1, 60);
  if (virDomainStartDirtyRateCalc (domain, (int) seconds, 0) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }

  deadline = g_get_monotonic_time () + (gint64) (seconds + GRACE_S) * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      virDomainPtr domains[] = { domain, NULL };
      virDomainStatsRecordPtr *records = NULL;
      int calc_status = 0;
      long long mib_s = 0;
      gboolean done;

      /* The first poll after the window: nothing can be measured before. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (POLL_US);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (virDomainListGetStats (domains, VIR_DOMAIN_STATS_DIRTYRATE, &records, 0) < 1)
        {
          mw_libvirt_set_error (error, NULL);
          virDomainStatsRecordListFree (records);
          return FALSE;
        }
      done = virTypedParamsGetInt (records[0]->params, records[0]->nparams,
                                   "dirtyrate.calc_status", &calc_status) == 1
             && calc_status == 2
             && virTypedParamsGetLLong (records[0]->params, records[0]->nparams,
                                        "dirtyrate.megabytes_per_second", &mib_s) == 1;
      virDomainStatsRecordListFree (records);
      if (done)
        {
          rate->bytes_per_second = (guint64) MAX (mib_s, 0) * 1024 * 1024;
          rate->seconds = seconds;
          return TRUE;
        }
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("QEMU gave no result in time"));
  return FALSE;
}

gboolean
mw_dirty_rate_measure (const char    *uri,
                       const char    *domain,
                       guint          seconds,
                       GCancellable  *cancellable,
                       MwDirtyRate   *rate,
                       GError       **error)
{
  virConnectPtr conn;
  virDomainPtr dom;
  gboolean ok;

  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = mw_libvirt_open (uri, NULL, error);
  if (conn == NULL)
    return FALSE;
  dom = mw_libvirt_lookup_domain (conn, domain, NULL, error);
  ok = dom != NULL && mw_dirty_rate_measure_domain (dom, seconds, cancellable, rate, error);
  if (dom != NULL)
    virDomainFree (dom);
  virConnectClose (conn);
  virResetLastError ();
  return ok;
}

typedef struct
{
  MwDomainTarget *target;
  guint seconds;
} MeasureData;

static void
measure_data_free (gpointer data)
{
  MeasureData *self = data;

  mw_domain_target_free (self->target);
  g_free (self);
}

static void
measure_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MeasureData *data = task_data;
  GError *error = NULL;
  MwDirtyRate rate = { 0 };

  if (mw_dirty_rate_measure (data->target->uri, data->target->domain, data->seconds,
                             cancellable, &rate, &error))
    g_task_return_pointer (task, g_memdup2 (&rate, sizeof rate), g_free);
  else
    g_task_return_error (task, error);
}

void
mw_dirty_rate_measure_async (const char          *uri,
                             const char          *domain,
                             guint                seconds,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MeasureData *data;

  g_return_if_fail (uri != NULL);
  g_return_if_fail (domain != NULL);

  data = g_new0 (MeasureData, 1);
  data->target = mw_domain_target_new (uri, NULL, domain);
  data->seconds = seconds;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_dirty_rate_measure_async);
  g_task_set_task_data (task, data, measure_data_free);
  g_task_run_in_thread (task, measure_thread);
}

gboolean
mw_dirty_rate_measure_finish (GAsyncResult  *result,
                              MwDirtyRate   *rate,
                              GError       **error)
{
  g_autofree MwDirtyRate *measured = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_dirty_rate_measure_async,
                        FALSE);
  g_return_val_if_fail (rate != NULL, FALSE);

  measured = g_task_propagate_pointer (G_TASK (result), error);
  if (measured == NULL)
    return FALSE;
  *rate = *measured;
  return TRUE;
}

char *
mw_dirty_rate_describe (const MwDirtyRate *rate)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (rate != NULL, NULL);

  if (rate->bytes_per_second == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The guest is dirtying no memory (measured over %u s).",
                                         "The guest is dirtying no memory (measured over %u s).",
                                         rate->seconds),
                            rate->seconds);
  text = mw_format_rate (rate->bytes_per_second);
  /* Translators: "The guest is dirtying about 44 MiB/s (measured over 1 s)." */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The guest is dirtying about %s (measured over %u s).",
                                       "The guest is dirtying about %s (measured over %u s).",
                                       rate->seconds),
                          text, rate->seconds);
}
