/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-host.c: surveys and guest actions for an evacuation; see mw-evacuation-host.h. */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "mw-evacuation-host.h"
#include "mw-libvirt.h"

#define SHUTDOWN_POLL_US (200 * 1000)

static void
host_guest_free (gpointer data)
{
  MwHostGuest *guest = data;

  g_free (guest->name);
  g_free (guest);
}

void
mw_host_survey_free (MwHostSurvey *survey)
{
  if (survey == NULL)
    return;
  g_clear_pointer (&survey->guests, g_ptr_array_unref);
  g_free (survey);
}

MwHostSurvey *
mw_evacuation_survey (const char    *uri,
                      gboolean       with_guests,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(MwHostSurvey) survey = g_new0 (MwHostSurvey, 1);
  virConnectPtr conn;
  virDomainPtr *domains = NULL;
  virNodeInfo node = { 0 };
  guint64 running_kib = 0;
  unsigned long long free_bytes;
  int n;

  conn = mw_libvirt_open (uri, _("Could not connect"), error);
  if (conn == NULL)
    return NULL;

  n = virConnectListAllDomains (conn, &domains, 0);
  if (n < 0)
    {
      mw_libvirt_set_error (error, _("Could not list the host’s domains"));
      virConnectClose (conn);
      return NULL;
    }
  if (with_guests)
    survey->guests = g_ptr_array_new_full (n, host_guest_free);
  for (int i = 0; i < n; i++)
    {
      virDomainInfo info = { 0 };
      gboolean active = virDomainIsActive (domains[i]) == 1;

      if (virDomainGetInfo (domains[i], &info) < 0)
        info.memory = 0;
      if (active)
        running_kib += info.memory;
      if (with_guests)
        {
          MwHostGuest *guest = g_new0 (MwHostGuest, 1);

          guest->name = g_strdup (virDomainGetName (domains[i]));
          guest->memory_kib = info.memory;
          guest->running = active;
          guest->paused = active && info.state == VIR_DOMAIN_PAUSED;
          g_ptr_array_add (survey->guests, guest);
        }
      virDomainFree (domains[i]);
    }
  free (domains);

  free_bytes = virNodeGetFreeMemory (conn);
  if (free_bytes > 0)
    survey->free_kib = free_bytes / 1024;
  else if (virNodeGetInfo (conn, &node) == 0)
    survey->free_kib = node.memory > running_kib ? node.memory - running_kib : 0;
  virResetLastError ();
  virConnectClose (conn);
  return g_steal_pointer (&survey);
}

static gboolean
wait_shut_off (virDomainPtr   domain,
               const char    *name,
               guint          timeout_s,
               GCancellable  *cancellable,
               GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      int active = virDomainIsActive (domain);

      if (active == 0)
        return TRUE;
      if (active < 0)
        {
          mw_libvirt_set_error (error, NULL);
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       /* Translators: %s is a guest's name, %u a number of seconds. */
                       _("“%s” did not shut down within %u s; it still runs where it was."),
                       name, timeout_s);
          return FALSE;
        }
      g_usleep (SHUTDOWN_POLL_US);
    }
}

gboolean
mw_evacuation_act (const char         *uri,
                   const char         *name,
                   MwEvacuationAction  action,
                   guint               timeout_s,
                   GCancellable       *cancellable,
                   GError            **error)
{
  virConnectPtr conn;
  virDomainPtr domain;
  gboolean ok = TRUE;
  int active;

  g_return_val_if_fail (action == MW_EVACUATION_ACTION_SHUT_DOWN
                        || action == MW_EVACUATION_ACTION_MANAGED_SAVE
                        || action == MW_EVACUATION_ACTION_START, FALSE);

  conn = mw_libvirt_open (uri, _("Could not connect"), error);
  if (conn == NULL)
    return FALSE;
  domain = mw_libvirt_lookup_domain (conn, name, NULL, error);
  if (domain == NULL)
    {
      virConnectClose (conn);
      return FALSE;
    }

  active = virDomainIsActive (domain);
  switch (action)
    {
    case MW_EVACUATION_ACTION_SHUT_DOWN:
      if (active == 1 && virDomainShutdown (domain) < 0)
        {
          mw_libvirt_set_error (error, NULL);
          ok = FALSE;
        }
      else
        ok = wait_shut_off (domain, name, timeout_s, cancellable, error);
      break;
    case MW_EVACUATION_ACTION_MANAGED_SAVE:
      if (active == 1 && virDomainManagedSave (domain, 0) < 0)
        {
          mw_libvirt_set_error (error, NULL);
          ok = FALSE;
        }
      break;
    case MW_EVACUATION_ACTION_START:
      /* Restores a managed save when there is one. */
      if (active == 0 && virDomainCreate (domain) < 0)
        {
          mw_libvirt_set_error (error, NULL);
          ok = FALSE;
        }
      else if (ok && virDomainIsActive (domain) != 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("“%s” was started but does not run."), name);
          ok = FALSE;
        }
      break;
    case MW_EVACUATION_ACTION_MIGRATE:
    case MW_EVACUATION_ACTION_LEAVE:
    default:
      g_assert_not_reached ();
    }

  virDomainFree (domain);
  virConnectClose (conn);
  virResetLastError ();
  return ok;
}

typedef struct
{
  char *uri;
  char *name;
  MwEvacuationAction action;
  guint timeout_s;
} ActData;

static void
act_data_free (gpointer data)
{
  ActData *act = data;

  g_free (act->uri);
  g_free (act->name);
  g_free (act);
}

static void
act_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  ActData *act = task_data;
  GError *error = NULL;

  if (mw_evacuation_act (act->uri, act->name, act->action, act->timeout_s, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_evacuation_act_async (const char         *uri,
                         const char         *name,
                         MwEvacuationAction  action,
                         guint               timeout_s,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ActData *act = g_new0 (ActData, 1);

  act->uri = g_strdup (uri);
  act->name = g_strdup (name);
  act->action = action;
  act->timeout_s = timeout_s;
  g_task_set_source_tag (task, mw_evacuation_act_async);
  g_task_set_task_data (task, act, act_data_free);
  g_task_run_in_thread (task, act_thread);
}

gboolean
mw_evacuation_act_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_evacuation_act_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
