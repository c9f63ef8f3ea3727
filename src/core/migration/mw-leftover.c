/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-leftover.c: removing the unfinished incoming copy a failed migration left behind. */

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-leftover.h"
#include "mw-libvirt.h"

#define GONE_WITHIN_S 15

gboolean
mw_leftover_state_is_unfinished (int state,
                                 int reason)
{
  if (state == VIR_DOMAIN_SHUTDOWN)
    return TRUE;
  return state == VIR_DOMAIN_PAUSED
         && (reason == VIR_DOMAIN_PAUSED_MIGRATION || reason == VIR_DOMAIN_PAUSED_STARTING_UP
             || reason == VIR_DOMAIN_PAUSED_UNKNOWN);
}

gboolean
mw_leftover_is_unfinished_copy (virDomainPtr dom)
{
  int state = VIR_DOMAIN_NOSTATE;
  int reason = 0;

  if (virDomainGetState (dom, &state, &reason, 0) < 0)
    {
      virResetLastError ();
      return FALSE;
    }
  return mw_leftover_state_is_unfinished (state, reason);
}

static gboolean
runs (virDomainPtr dom)
{
  int state = VIR_DOMAIN_NOSTATE;

  if (virDomainGetState (dom, &state, NULL, 0) < 0)
    virResetLastError ();
  return state == VIR_DOMAIN_RUNNING;
}

gboolean
mw_leftover_remove (const char    *source_uri,
                    const char    *destination_uri,
                    const char    *domain_name,
                    GCancellable  *cancellable,
                    GError       **error)
{
  virConnectPtr sconn = NULL;
  virConnectPtr dconn = NULL;
  virDomainPtr sdom = NULL;
  virDomainPtr ddom = NULL;
  g_autoptr(GError) lookup_error = NULL;
  gboolean ok = FALSE;
  int state = VIR_DOMAIN_NOSTATE;
  int reason = 0;
  gint64 deadline;

  g_return_val_if_fail (source_uri != NULL && destination_uri != NULL, FALSE);
  g_return_val_if_fail (domain_name != NULL, FALSE);

  sconn = mw_libvirt_open (source_uri, NULL, error);
  if (sconn == NULL)
    goto out;
  dconn = mw_libvirt_open (destination_uri, NULL, error);
  if (dconn == NULL)
    goto out;

  /* Never the only copy: the guest must run on the source. */
  sdom = mw_libvirt_lookup_domain (sconn, domain_name, NULL, NULL);
  if (sdom == NULL || !runs (sdom))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” does not run on %s, so the copy on %s may be the only one: it was "
                     "left alone."), domain_name, source_uri, destination_uri);
      goto out;
    }

  ddom = mw_libvirt_lookup_domain (dconn, domain_name, NULL, &lookup_error);
  if (ddom == NULL)
    {
      /* Already gone: libvirt removed it by itself. */
      ok = g_error_matches (lookup_error, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN);
      if (!ok)
        g_propagate_error (error, g_steal_pointer (&lookup_error));
      goto out;
    }
  if (virDomainGetState (ddom, &state, &reason, 0) < 0)
    {
      /* Gone between the look-up and now: libvirt's own clean-up was quicker. */
      ok = mw_libvirt_last_error_is (VIR_ERR_NO_DOMAIN);
      if (ok)
        virResetLastError ();
      else
        mw_libvirt_set_error (error, NULL);
      goto out;
    }
  if (!mw_leftover_state_is_unfinished (state, reason))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The copy of “%s” on %s is not an unfinished incoming migration (it runs, "
                     "or was paused by someone, or is in post-copy): it was left alone."),
                   domain_name, destination_uri);
      goto out;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (virDomainDestroy (ddom) < 0)
    {
      /* It may have gone in the meantime: libvirt's own clean-up won the race. */
      if (virDomainIsActive (ddom) == 1)
        {
          mw_libvirt_set_error (error, NULL);
          goto out;
        }
      virResetLastError ();
    }

  /* Transient copies vanish once destroyed; wait until the host says so. */
  deadline = g_get_monotonic_time () + GONE_WITHIN_S * G_USEC_PER_SEC;
  for (;;)
    {
      virDomainPtr again = mw_libvirt_lookup_domain (dconn, domain_name, NULL, NULL);

      if (again == NULL || virDomainIsActive (again) != 1)
        {
          if (again != NULL)
            virDomainFree (again);
          virResetLastError ();
          ok = TRUE;
          break;
        }
      virDomainFree (again);
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("%s still lists “%s” %d s after it was stopped."), destination_uri,
                       domain_name, GONE_WITHIN_S);
          break;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      g_usleep (100 * 1000);
    }

out:
  if (sdom != NULL)
    virDomainFree (sdom);
  if (ddom != NULL)
    virDomainFree (ddom);
  if (sconn != NULL)
    virConnectClose (sconn);
  if (dconn != NULL)
    virConnectClose (dconn);
  return ok;
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  MwDomainTarget *target = task_data;
  GError *error = NULL;

  if (mw_leftover_remove (target->uri, target->dest_uri, target->domain, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_leftover_remove_async (const char          *source_uri,
                          const char          *destination_uri,
                          const char          *domain_name,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mw_leftover_remove_async);
  g_task_set_task_data (task, mw_domain_target_new (source_uri, destination_uri, domain_name),
                        mw_domain_target_free);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
mw_leftover_remove_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_leftover_remove_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
