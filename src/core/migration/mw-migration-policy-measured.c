/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-policy-measured.c: the recommended policy with the guest's dirty rate measured
 * first (the wizard's "Use Recommended", the CLI's --policy without --dirty-mib-s). The policy
 * itself stays pure (mw-migration-policy.c); this file only adds the measurement in a worker. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-dirty-rate.h"
#include "mw-migration-policy.h"

MwMigrationOptions *
mw_migration_policy_recommend_measured (const MwMigrationOptions     *base,
                                        const MwMigrationPolicyInput *input,
                                        const char                   *source_uri,
                                        const char                   *domain,
                                        GCancellable                 *cancellable,
                                        GStrv                        *reasons,
                                        GError                      **error)
{
  MwMigrationPolicyInput measured_input = *input;
  g_autoptr(GPtrArray) sentences = NULL;
  g_autofree char *first = NULL;
  g_auto(GStrv) policy_reasons = NULL;
  MwMigrationOptions *options;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input->dirty_rate_bps < 0 && base->mode == MW_MIGRATION_MODE_LIVE)
    {
      g_autoptr(GError) local_error = NULL;
      MwDirtyRate rate = { 0 };

      if (mw_dirty_rate_measure (source_uri, domain, MW_POLICY_DIRTY_WINDOW_S, cancellable,
                                 &rate, &local_error))
        {
          measured_input.dirty_rate_bps = (gint64) MIN (rate.bytes_per_second,
                                                        (guint64) G_MAXINT64);
          first = mw_dirty_rate_describe (&rate);
        }
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      else
        /* Translators: %s is libvirt's or QEMU's own message. */
        first = g_strdup_printf (_("The guest’s dirty rate could not be measured (%s), so the "
                                   "policy takes it as not known."), local_error->message);
    }

  options = mw_migration_policy_recommend (base, &measured_input,
                                           reasons != NULL ? &policy_reasons : NULL);
  if (reasons != NULL)
    {
      sentences = g_ptr_array_new_with_free_func (g_free);
      if (first != NULL)
        g_ptr_array_add (sentences, g_steal_pointer (&first));
      for (guint i = 0; policy_reasons[i] != NULL; i++)
        g_ptr_array_add (sentences, g_steal_pointer (&policy_reasons[i]));
      g_ptr_array_add (sentences, NULL);
      *reasons = (GStrv) g_ptr_array_steal (sentences, NULL);
    }
  return options;
}

typedef struct
{
  MwMigrationOptions *base;
  MwMigrationPolicyInput input;  /* its caps: the copy below */
  MwMigrationCaps *caps;
  char *source_uri;
  char *domain;
} RecommendData;

typedef struct
{
  MwMigrationOptions *options;
  GStrv reasons;
} RecommendResult;

static void
recommend_data_free (gpointer data)
{
  RecommendData *self = data;

  mw_migration_options_free (self->base);
  g_clear_pointer (&self->caps, mw_migration_caps_free);
  g_free (self->source_uri);
  g_free (self->domain);
  g_free (self);
}

static void
recommend_result_free (gpointer data)
{
  RecommendResult *self = data;

  mw_migration_options_free (self->options);
  g_strfreev (self->reasons);
  g_free (self);
}

static void
recommend_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RecommendData *data = task_data;
  RecommendResult *result = g_new0 (RecommendResult, 1);
  GError *error = NULL;

  result->options = mw_migration_policy_recommend_measured (data->base, &data->input,
                                                            data->source_uri, data->domain,
                                                            cancellable, &result->reasons,
                                                            &error);
  if (result->options == NULL)
    {
      recommend_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, recommend_result_free);
}

void
mw_migration_policy_recommend_measured_async (const MwMigrationOptions     *base,
                                              const MwMigrationPolicyInput *input,
                                              const char                   *source_uri,
                                              const char                   *domain,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data)
{
  g_autoptr(GTask) task = NULL;
  RecommendData *data;

  g_return_if_fail (base != NULL);
  g_return_if_fail (input != NULL);
  g_return_if_fail (source_uri != NULL);
  g_return_if_fail (domain != NULL);

  data = g_new0 (RecommendData, 1);
  data->base = mw_migration_options_copy (base);
  data->input = *input;
  data->caps = input->caps != NULL ? mw_migration_caps_copy (input->caps) : NULL;
  data->input.caps = data->caps;
  data->source_uri = g_strdup (source_uri);
  data->domain = g_strdup (domain);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_migration_policy_recommend_measured_async);
  g_task_set_task_data (task, data, recommend_data_free);
  g_task_run_in_thread (task, recommend_thread);
}

MwMigrationOptions *
mw_migration_policy_recommend_measured_finish (GAsyncResult  *result,
                                               GStrv         *reasons,
                                               GError       **error)
{
  RecommendResult *recommended;
  MwMigrationOptions *options;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == mw_migration_policy_recommend_measured_async, NULL);

  recommended = g_task_propagate_pointer (G_TASK (result), error);
  if (recommended == NULL)
    return NULL;
  options = g_steal_pointer (&recommended->options);
  if (reasons != NULL)
    *reasons = g_steal_pointer (&recommended->reasons);
  recommend_result_free (recommended);
  return options;
}
