/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-nfs-server.c: the NFS server side of the plan (mw-storage-setup.h), applied over ssh one
 * journaled step at a time: export directory, /etc/exports line, exportfs -r, firewall, then a
 * check with showmount -e.
 *
 * Threads: blocking, worker threads; the `_async` wrapper copies the plan into the task. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-line-editor.h"
#include "mw-migration-options.h"
#include "mw-setup-host.h"
#include "mw-setup-task.h"
#include "mw-storage-setup.h"
#include "mw-shell.h"

/* Each remote step prints "changed" or "unchanged" (optionally ": note") on its first line, so
 * the journal knows what to undo. */

typedef struct
{
  char *target;     /* user@server */
  char *apply;      /* remote shell command */
  char *undo;       /* remote shell command, or NULL */
  char *expect;     /* for checks: stdout must contain this */
} RemoteStep;

static void
remote_step_free (gpointer data)
{
  RemoteStep *step = data;

  g_free (step->target);
  g_free (step->apply);
  g_free (step->undo);
  g_free (step->expect);
  g_free (step);
}

static gboolean
remote_step_run (gpointer       data,
                 gboolean      *changed,
                 char         **note,
                 GCancellable  *cancellable,
                 GError       **error)
{
  RemoteStep *step = data;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  if (!mw_setup_ssh_run (step->target, step->apply, cancellable, &out, error))
    return FALSE;

  if (step->expect != NULL)
    {
      if (strstr (out, step->expect) == NULL)
        {
          g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_NOT_FOUND,
                       _("%s is not in the list:\n%s"), step->expect, g_strstrip (out));
          return FALSE;
        }
      *note = g_strdup (g_strstrip (out));
      return TRUE;
    }

  lines = g_strsplit (out, "\n", 2);
  *changed = lines[0] != NULL && g_str_has_prefix (lines[0], "changed");
  if (lines[0] != NULL && strchr (lines[0], ':') != NULL)
    *note = g_strdup (g_strstrip (strchr (lines[0], ':') + 1));
  return TRUE;
}

static gboolean
remote_step_undo (gpointer   data,
                  GError   **error)
{
  RemoteStep *step = data;

  if (step->undo == NULL)
    return TRUE;
  return mw_setup_ssh_run (step->target, step->undo, NULL, NULL, error);
}

static RemoteStep *
remote_step_new (const char *target,
                 char       *apply,
                 char       *undo)
{
  RemoteStep *step = g_new0 (RemoteStep, 1);

  step->target = g_strdup (target);
  step->apply = apply;
  step->undo = undo;
  return step;
}

static const MwSetupAction server_actions[] = {
  { N_("create the export directory"), remote_step_run, remote_step_undo },
  { N_("add the line to /etc/exports"), remote_step_run, remote_step_undo },
  /* Undone by the previous step's undo, which re-reads the exports after removing the line. */
  { N_("reload the exports (exportfs -r)"), remote_step_run, remote_step_undo },
  { N_("open TCP 2049 in the firewall"), remote_step_run, remote_step_undo },
  { N_("check the export (showmount -e)"), remote_step_run, NULL },
};

gboolean
mw_nfs_apply_server (const MwNfsPlan *plan,
                     GCancellable    *cancellable,
                     GPtrArray      **steps,
                     GError         **error)
{
  g_autoptr(MwSetupJournal) journal = NULL;
  g_autofree char *target = NULL;
  g_autofree char *line = NULL;
  g_autofree char *qpath = NULL;
  g_autofree char *qnet = NULL;
  g_autofree char *source = NULL;
  g_autofree char *conflict = NULL;
  g_autofree char *add_line = NULL;
  g_autofree char *remove_line = NULL;
  RemoteStep *remote[G_N_ELEMENTS (server_actions)];
  gboolean ok = TRUE;

  g_return_val_if_fail (plan != NULL, FALSE);

  if (!mw_nfs_plan_validate (plan, error))
    return FALSE;

  journal = mw_setup_journal_new (plan->server);
  target = mw_setup_ssh_login (plan->ssh_user, plan->server);
  line = mw_nfs_plan_get_exports_line (plan);
  qpath = mw_shell_quote (plan->export_path);
  source = mw_nfs_plan_get_firewall_source (plan);
  qnet = mw_shell_quote (source);

  /* An export of the same directory with other options is the admin's: reported, kept. */
  conflict = g_strdup_printf ("old=$(awk -v p=%s '$1 == p' \"$f\" 2>/dev/null); "
                              "if [ -n \"$old\" ]; then echo \"/etc/exports already exports "
                              "%s differently: $old (left as it is)\" >&2; exit 3; fi",
                              qpath, qpath);
  add_line = mw_line_editor_add_command (MW_NFS_EXPORTS_FILE, line, 0644, conflict, error);
  remove_line = mw_line_editor_remove_command (MW_NFS_EXPORTS_FILE, line, error);
  if (add_line == NULL || remove_line == NULL)
    return FALSE;
  remote[0] = remote_step_new (target,
                               g_strdup_printf ("if [ -d %s ]; then echo unchanged; "
                                                "else mkdir -p %s && echo changed; fi",
                                                qpath, qpath),
                               /* also after a stop before mkdir ran */
                               g_strdup_printf ("[ ! -d %s ] || rmdir %s", qpath, qpath));
  remote[1] = remote_step_new (target, g_steal_pointer (&add_line),
                               g_strdup_printf ("%s && exportfs -r", remove_line));
  remote[2] = remote_step_new (target, g_strdup ("exportfs -r && echo changed"), NULL);
  /* A rule that was there before is the admin's: reported as unchanged, so never undone. */
  remote[3] = remote_step_new (target,
                               g_strdup_printf (
                                 "if command -v firewall-cmd >/dev/null && firewall-cmd --state "
                                 ">/dev/null 2>&1; then "
                                 "if firewall-cmd --query-service=nfs >/dev/null 2>&1 "
                                 "|| firewall-cmd --permanent --query-service=nfs >/dev/null "
                                 "2>&1; then "
                                 "echo 'unchanged: firewalld already allows nfs (a rule that "
                                 "was there before, kept on undo)'; "
                                 "else firewall-cmd --permanent --add-service=nfs >/dev/null "
                                 "&& firewall-cmd --reload >/dev/null "
                                 "&& echo 'changed: firewalld allows nfs (TCP 2049)'; fi; "
                                 "elif command -v ufw >/dev/null && LC_ALL=C ufw status | grep -q "
                                 "'Status: active'; then "
                                 "out=$(LC_ALL=C ufw allow from %s to any port 2049 proto tcp) "
                                 "|| exit 1; case $out in *'Skipping adding existing rule'*) "
                                 "echo 'unchanged: ufw already allows TCP 2049 from %s (a rule "
                                 "that was there before, kept on undo)';; *) echo 'changed: ufw "
                                 "allows TCP 2049 from %s';; esac; "
                                 "else echo 'unchanged: no firewalld or ufw is "
                                 "active; make sure TCP 2049 is open'; fi", qnet, source, source),
                               g_strdup_printf (
                                 "if command -v firewall-cmd >/dev/null && firewall-cmd --state "
                                 ">/dev/null 2>&1; then firewall-cmd --permanent "
                                 "--remove-service=nfs >/dev/null && firewall-cmd --reload; "
                                 "elif command -v ufw >/dev/null; then ufw delete allow from %s "
                                 "to any port 2049 proto tcp; fi", qnet));
  remote[4] = remote_step_new (target, g_strdup ("showmount -e localhost"), NULL);
  remote[4]->expect = g_strdup (plan->export_path);

  /* Each step goes to the journal; after a failure the ones that did not run are freed here. */
  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      if (ok)
        ok = mw_setup_journal_run (journal, &server_actions[i], remote[i], remote_step_free,
                                   cancellable, error);
      else
        remote_step_free (remote[i]);
    }

  if (steps != NULL)
    *steps = mw_setup_journal_dup_steps (journal);
  return ok;
}

typedef struct
{
  GPtrArray *steps;
  GError *error;
} ServerOutcome;

static void
server_outcome_free (gpointer data)
{
  ServerOutcome *outcome = data;

  g_clear_pointer (&outcome->steps, g_ptr_array_unref);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

/* The task succeeds either way: its outcome carries the steps that ran and the failure. */
static gboolean
apply_server_call (gpointer       data,
                   gpointer      *result,
                   GCancellable  *cancellable,
                   GError       **error)
{
  ServerOutcome *outcome = g_new0 (ServerOutcome, 1);

  mw_nfs_apply_server (data, cancellable, &outcome->steps, &outcome->error);
  if (outcome->steps == NULL)
    outcome->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_setup_step_free);
  *result = outcome;
  return TRUE;
}

void
mw_nfs_apply_server_async (const MwNfsPlan     *plan,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = mw_setup_task_new (mw_nfs_apply_server_async, mw_nfs_plan_copy (plan),
                                             (GDestroyNotify) mw_nfs_plan_free, cancellable,
                                             callback, user_data);

  mw_setup_task_run (task, apply_server_call, server_outcome_free);
}

GPtrArray *
mw_nfs_apply_server_finish (GAsyncResult  *result,
                            GPtrArray    **steps,
                            GError       **error)
{
  ServerOutcome *outcome;
  GPtrArray *done;

  g_return_val_if_fail (mw_setup_task_is (result, mw_nfs_apply_server_async), NULL);

  outcome = g_task_propagate_pointer (G_TASK (result), error);
  if (outcome == NULL)
    return NULL;
  done = g_ptr_array_ref (outcome->steps);
  if (steps != NULL)
    *steps = g_ptr_array_ref (outcome->steps);
  if (outcome->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&outcome->error));
      g_ptr_array_unref (done);
      done = NULL;
    }
  server_outcome_free (outcome);
  return done;
}
