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

/* A step that may change the host writes its mark (a file in the remote user's home) once it
 * knows it will change something and before it does; the marks go when the set-up ends. When a step
 * is stopped before it answered, its undo runs only if the mark is there: the step changed, or
 * was about to change, the host. Without the mark a stop would undo what was there before (an
 * identical exports line, an empty directory, a firewall rule of the admin's). */

typedef struct
{
  char *target;     /* user@server */
  char *apply;      /* remote shell command */
  char *undo;       /* remote shell command, or NULL */
  char *expect;     /* for checks: stdout must contain this */
  char *mark;       /* the mark's path as a shell word ("$HOME"/.mw-setup-…), or NULL */
  gboolean answered;  /* the apply ran to its end and said what it did */
} RemoteStep;

static void
remote_step_free (gpointer data)
{
  RemoteStep *step = data;

  g_free (step->target);
  g_free (step->apply);
  g_free (step->undo);
  g_free (step->expect);
  g_free (step->mark);
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
  step->answered = TRUE;

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
  g_autofree char *undo = NULL;

  if (step->undo == NULL)
    return TRUE;
  if (step->mark == NULL || step->answered)
    return mw_setup_ssh_run (step->target, step->undo, NULL, NULL, error);
  /* stopped before it answered: only what it marked */
  undo = g_strdup_printf ("if [ -e %s ]; then %s && rm -f %s; fi", step->mark, step->undo,
                          step->mark);
  return mw_setup_ssh_run (step->target, undo, NULL, NULL, error);
}

/* Where an apply command writes its mark: a control character, which no path, line or network
 * that reaches a command can hold (mw-line-editor.h, mw_nfs_plan_validate). */
#define MARK_HERE "\001mark\001"

/* apply with its mark: MARK_HERE in apply is replaced by the mark's path. The mark stays until
 * remove_marks: a step that ran whole on the host but whose answer never came is undone too. */
static RemoteStep *
remote_step_new_marked (const char *target,
                        const char *apply,
                        char       *undo)
{
  RemoteStep *step = g_new0 (RemoteStep, 1);
  g_autoptr(GString) command = g_string_new (apply);

  step->target = g_strdup (target);
  step->mark = g_strdup_printf ("\"$HOME\"/.mw-setup-%08x%08x", g_random_int (),
                                g_random_int ());
  g_string_replace (command, MARK_HERE, step->mark, 0);
  step->apply = g_string_free (g_steal_pointer (&command), FALSE);
  step->undo = undo;
  return step;
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

/* "rm -f MARK…" for every step's mark: run in one ssh call when the set-up (and any undo) is
 * over, built before the journal takes the steps. */
static char *
remove_marks_command (RemoteStep **steps,
                      gsize        n_steps)
{
  GString *command = g_string_new ("rm -f");

  for (gsize i = 0; i < n_steps; i++)
    if (steps[i]->mark != NULL)
      g_string_append_printf (command, " %s", steps[i]->mark);
  return g_string_free (command, FALSE);
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
  g_autofree char *mkdir_line = NULL;
  g_autofree char *firewall = NULL;
  g_autofree char *remove_marks = NULL;
  g_autoptr(GError) marks_error = NULL;
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
                              "%s differently: $old (left as it is)\" >&2; exit 3; fi; "
                              ": > " MARK_HERE " || exit 1",
                              qpath, qpath);
  add_line = mw_line_editor_add_command (MW_NFS_EXPORTS_FILE, line, 0644, conflict, error);
  remove_line = mw_line_editor_remove_command (MW_NFS_EXPORTS_FILE, line, error);
  if (add_line == NULL || remove_line == NULL)
    return FALSE;
  mkdir_line = g_strdup_printf ("if [ -d %s ]; then echo unchanged; "
                                "else : > " MARK_HERE " && mkdir -p %s && echo changed; fi",
                                qpath, qpath);
  remote[0] = remote_step_new_marked (target, mkdir_line,
                                      /* also after a stop before mkdir ran */
                                      g_strdup_printf ("[ ! -d %s ] || rmdir %s", qpath, qpath));
  remote[1] = remote_step_new_marked (target, add_line,
                                      g_strdup_printf ("%s && exportfs -r", remove_line));
  remote[2] = remote_step_new (target, g_strdup ("exportfs -r && echo changed"), NULL);
  /* A rule that was there before is the admin's: reported as unchanged, so never undone. */
  /* firewalld is asked first, so its mark goes before the change; ufw only says afterwards
   * whether the rule was new, so its mark follows (a stop in between leaves our rule, never
   * removes the admin's). */
  firewall = g_strdup_printf ("if command -v firewall-cmd >/dev/null && firewall-cmd --state "
                              ">/dev/null 2>&1; then "
                              "if firewall-cmd --query-service=nfs >/dev/null 2>&1 "
                              "|| firewall-cmd --permanent --query-service=nfs >/dev/null "
                              "2>&1; then "
                              "echo 'unchanged: firewalld already allows nfs (a rule that "
                              "was there before, kept on undo)'; "
                              "else : > " MARK_HERE " && firewall-cmd --permanent "
                              "--add-service=nfs >/dev/null "
                              "&& firewall-cmd --reload >/dev/null "
                              "&& echo 'changed: firewalld allows nfs (TCP 2049)'; fi; "
                              "elif command -v ufw >/dev/null && LC_ALL=C ufw status | grep -q "
                              "'Status: active'; then "
                              "out=$(LC_ALL=C ufw allow from %s to any port 2049 proto tcp) "
                              "|| exit 1; case $out in *'Skipping adding existing rule'*) "
                              "echo 'unchanged: ufw already allows TCP 2049 from %s (a rule "
                              "that was there before, kept on undo)';; *) : > " MARK_HERE "; "
                              "echo 'changed: ufw allows TCP 2049 from %s';; esac; "
                              "else echo 'unchanged: no firewalld or ufw is "
                              "active; make sure TCP 2049 is open'; fi", qnet, source, source);
  remote[3] = remote_step_new_marked (target, firewall,
                               g_strdup_printf (
                                 "if command -v firewall-cmd >/dev/null && firewall-cmd --state "
                                 ">/dev/null 2>&1; then firewall-cmd --permanent "
                                 "--remove-service=nfs >/dev/null && firewall-cmd --reload; "
                                 "elif command -v ufw >/dev/null; then ufw delete allow from %s "
                                 "to any port 2049 proto tcp; fi", qnet));
  remote[4] = remote_step_new (target, g_strdup ("showmount -e localhost"), NULL);
  remote[4]->expect = g_strdup (plan->export_path);

  /* Each step goes to the journal; after a failure the ones that did not run are freed here. */
  remove_marks = remove_marks_command (remote, G_N_ELEMENTS (remote));
  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      if (ok)
        ok = mw_setup_journal_run (journal, &server_actions[i], remote[i], remote_step_free,
                                   cancellable, error);
      else
        remote_step_free (remote[i]);
    }
  if (!mw_setup_ssh_run (target, remove_marks, NULL, NULL, &marks_error))
    g_debug ("Could not remove the set-up's marks on %s: %s", target, marks_error->message);

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
