/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-domain-actions.c: a domain's life-cycle actions (start, shut down, reboot, force off, pause,
 * resume): which of them its listed state allows, and running one.
 *
 * The worker gets its own reference on the connection's virConnectPtr and a copy of the
 * domain's UUID, looks the domain up and makes the one libvirt call; libvirt's error becomes the
 * GError in that same thread. Back on the main thread the connection re-reads the domain however
 * the call went: a lifecycle event would do it for a success, but a refusal sends none, and a
 * refusal usually means the listed state was not the host's.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-connection-private.h"
#include "mw-domain.h"

gboolean
mw_domain_can_run_action (MwDomain       *self,
                          MwDomainAction  action)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), FALSE);

  /* Paused by a migration: libvirt resumes it, or drops it, when the migration ends; the
   * migration's own window aborts it. */
  if (mw_domain_is_migrating (self))
    return FALSE;

  switch (mw_domain_get_state (self))
    {
    case MW_DOMAIN_STATE_RUNNING:
    case MW_DOMAIN_STATE_BLOCKED:
      return action != MW_DOMAIN_ACTION_START && action != MW_DOMAIN_ACTION_RESUME;
    case MW_DOMAIN_STATE_PAUSED:
      /* A paused guest cannot react to an ACPI request until it runs again. */
      return action == MW_DOMAIN_ACTION_RESUME || action == MW_DOMAIN_ACTION_FORCE_OFF;
    case MW_DOMAIN_STATE_SHUTDOWN:
    case MW_DOMAIN_STATE_PMSUSPENDED:
    case MW_DOMAIN_STATE_CRASHED:
      /* A crashed domain in this state is kept for inspection, its process still there. */
      return action == MW_DOMAIN_ACTION_FORCE_OFF;
    case MW_DOMAIN_STATE_SHUTOFF:
      return action == MW_DOMAIN_ACTION_START;
    case MW_DOMAIN_STATE_NOSTATE:
    default:
      /* Unknown: libvirt says what it refuses. */
      return TRUE;
    }
}

char *
mw_domain_describe_actions (MwDomain *self)
{
  const char *name = mw_domain_get_name (self);

  g_return_val_if_fail (MW_IS_DOMAIN (self), NULL);

  if (mw_domain_is_migrating (self))
    /* Translators: %s is a domain (virtual machine) name */
    return g_strdup_printf (_("%s is paused by a migration: it runs again, or goes, when the "
                              "migration ends."), name);

  switch (mw_domain_get_state (self))
    {
    case MW_DOMAIN_STATE_RUNNING:
    case MW_DOMAIN_STATE_BLOCKED:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("%s is running, so it cannot be started or resumed."),
                              name);
    case MW_DOMAIN_STATE_PAUSED:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("%s is paused: resume it before shutting it down or rebooting it, or force it "
                 "off."),
                              name);
    case MW_DOMAIN_STATE_SHUTDOWN:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("%s is shutting down: force it off if it does not finish."),
                              name);
    case MW_DOMAIN_STATE_PMSUSPENDED:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("%s was suspended by its own operating system: wake it with “virsh "
                 "dompmwakeup”, or force it off."),
                              name);
    case MW_DOMAIN_STATE_CRASHED:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("%s crashed and is kept for inspection: force it off before starting it "
                 "again."),
                              name);
    case MW_DOMAIN_STATE_SHUTOFF:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("%s is shut off: it can only be started."),
                              name);
    case MW_DOMAIN_STATE_NOSTATE:
    default:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("The state of %s is unknown: libvirt refuses what does not apply."),
                              name);
    }

  g_assert_not_reached ();
}

/* Worker */

typedef struct
{
  virConnectPtr conn;  /* our own reference; dropped by the worker */
  char *uuid;
  MwDomainAction action;
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action = data;

  /* The worker has dropped conn: a task run in a thread always runs. */
  g_assert (action->conn == NULL);
  g_free (action->uuid);
  g_free (action);
}

static int
run_libvirt_action (virDomainPtr   domain,
                    MwDomainAction action)
{
  switch (action)
    {
    case MW_DOMAIN_ACTION_START:
      return virDomainCreate (domain);
    case MW_DOMAIN_ACTION_SHUTDOWN:
      return virDomainShutdown (domain);
    case MW_DOMAIN_ACTION_REBOOT:
      return virDomainReboot (domain, 0);
    case MW_DOMAIN_ACTION_FORCE_OFF:
      return virDomainDestroy (domain);
    case MW_DOMAIN_ACTION_PAUSE:
      return virDomainSuspend (domain);
    case MW_DOMAIN_ACTION_RESUME:
      return virDomainResume (domain);
    default:
      g_assert_not_reached ();
    }
}

static void
action_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ActionData *data = task_data;
  GError *error = NULL;
  virDomainPtr domain;

  domain = mw_libvirt_lookup_domain (data->conn, data->uuid, NULL, &error);
  if (domain != NULL)
    {
      if (run_libvirt_action (domain, data->action) < 0)
        mw_libvirt_set_error (&error, NULL);
      virDomainFree (domain);
    }

  virConnectClose (g_steal_pointer (&data->conn));
  virResetLastError ();

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Main thread */

static void
on_action_thread_done_cb (GObject      *source_object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  MwDomain *self = g_task_get_source_object (outer);
  MwConnection *connection = mw_domain_get_connection (self);
  g_autoptr(GError) error = NULL;

  if (connection != NULL && mw_connection_get_state (connection) == MW_CONNECTION_STATE_CONNECTED)
    mw_connection_queue_refresh (connection, mw_domain_get_uuid (self));

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, g_steal_pointer (&error));
}

void
mw_domain_run_action_async (MwDomain            *self,
                            MwDomainAction       action,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  MwConnection *connection;
  ActionData *data;

  g_return_if_fail (MW_IS_DOMAIN (self));
  g_return_if_fail (action <= MW_DOMAIN_ACTION_RESUME);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, mw_domain_run_action_async);

  connection = mw_domain_get_connection (self);
  if (connection == NULL || mw_connection_get_virconnect (connection) == NULL)
    {
      g_task_return_new_error (outer, MW_CONNECTION_ERROR, MW_CONNECTION_ERROR_NOT_CONNECTED,
                               _("The host of %s is not connected."), mw_domain_get_name (self));
      return;
    }

  data = g_new0 (ActionData, 1);
  data->conn = mw_connection_get_virconnect (connection);
  virConnectRef (data->conn);
  data->uuid = g_strdup (mw_domain_get_uuid (self));
  data->action = action;

  /* As for connecting (mw-connection.c): only the outer task refs self, so the worker never
   * drops the last reference to a main-thread object; the inner one always delivers, so the
   * domain is re-read even when the caller has cancelled. */
  inner = g_task_new (NULL, NULL, on_action_thread_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, action_thread);
  g_task_set_task_data (inner, data, action_data_free);
  g_task_run_in_thread (inner, action_thread);
}

gboolean
mw_domain_run_action_finish (MwDomain      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_domain_run_action_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
