/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-host.c: a set-up's host: its label, its libvirt connection, a command over ssh.
 * Worker threads, except the pure label and login helpers. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-check-facts.h"
#include "mw-migration-options.h"
#include "mw-process.h"
#include "mw-setup-host.h"
#include "mw-ssh.h"
#include "mw-uri.h"
#include "mw-shell.h"

/* Installing an NFS server over a slow link takes minutes; a step that hangs must end. */
#define SETUP_STEP_TIMEOUT_S 900
/* Stopping a step: an ssh, the scan and the kill, and up to 10 s of waiting. */
#define STOP_TIMEOUT_S 60

/* Stops what a remote command left running: every process group led by a process whose command
 * line holds "mw-step-TOKEN" ($1 is TOKEN, so this script's own command line never matches) gets
 * SIGKILL until none of its processes runs (zombies are done), at most 10 s. Linux /proc. */
static const char stop_script[] =
  "tok=\"mw-step-$1\"\n"
  "pgs=\" \"\n"
  "for f in $(grep -l -a -F -e \"$tok\" /proc/[0-9]*/cmdline 2>/dev/null); do\n"
  "  read -r s 2>/dev/null < \"${f%/cmdline}/stat\" || continue\n"
  "  set -- ${s##*\") \"}\n"
  "  case \"$pgs\" in *\" $3 \"*) ;; *) pgs=\"$pgs$3 \" ;; esac\n"
  "done\n"
  "end=$(( $(date +%s) + 10 ))\n"
  "while :; do\n"
  "  live=\n"
  "  for f in /proc/[0-9]*/stat; do\n"
  "    read -r s 2>/dev/null < \"$f\" || continue\n"
  "    set -- ${s##*\") \"}\n"
  "    [ \"$1\" = Z ] && continue\n"
  "    case \"$pgs\" in *\" $3 \"*) live=1; kill -s KILL -- \"-$3\" 2>/dev/null ;; esac\n"
  "  done\n"
  "  [ -z \"$live\" ] && exit 0\n"
  "  if [ \"$(date +%s)\" -ge \"$end\" ]; then\n"
  "    echo \"it still runs after 10 s\" >&2; exit 1\n"
  "  fi\n"
  "  sleep 0.1\n"
  "done\n";

char *
mw_setup_host_label (const char *uri)
{
  g_autoptr(MwUri) parsed = mw_uri_parse (uri, NULL);

  if (parsed == NULL)
    return g_strdup (uri);
  if (parsed->host != NULL)
    return g_strdup (parsed->host);
  if (parsed->hypervisor == MW_HYPERVISOR_TEST && parsed->path != NULL)
    {
      g_autofree char *base = g_path_get_basename (parsed->path);

      if (g_str_has_suffix (base, ".xml"))
        base[strlen (base) - 4] = '\0';
      return g_steal_pointer (&base);
    }
  return g_strdup ("localhost");
}

char *
mw_setup_ssh_login (const char *user,
                    const char *host)
{
  g_return_val_if_fail (host != NULL, NULL);

  /* A bare IPv6 address needs no brackets here: mw_ssh_target_parse reads more than one colon
   * as an address without a port. */
  return g_strdup_printf ("%s@%s", user != NULL ? user : "root", host);
}

gboolean
mw_setup_is_plain_name (const char *name)
{
  if (name == NULL || *name == '\0' || *name == '-')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_.-", *p) == NULL)
      return FALSE;
  return TRUE;
}

virConnectPtr
mw_setup_host_connect (const char  *uri,
                       const char  *label,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  virConnectPtr conn = mw_check_open_connection (uri, &local_error);

  if (conn == NULL)
    mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, label, _("connect"), local_error->message);
  return conn;
}

/* Runs remote_command (a remote shell string) on target over the one ssh command line. */
static gboolean
run_over_ssh (const MwSshTarget  *target,
              const char         *remote_command,
              guint               timeout_s,
              GCancellable       *cancellable,
              MwProcessResult    *result,
              GError            **error)
{
  static const char * const quiet[] = { "-oLogLevel=ERROR", NULL };
  g_auto(GStrv) argv = mw_ssh_build_argv (NULL, target, quiet, remote_command);
  MwProcessSpec spec = { (const char * const *) argv, NULL, NULL, timeout_s };

  return mw_process_run (&spec, cancellable, result, error);
}

/* After a cancel or a timeout: kills what the step started on the host and waits until it is
 * gone. Not cancellable: it is what a cancel needs. */
static gboolean
stop_remote_step (const MwSshTarget  *target,
                  const char         *token,
                  GError            **error)
{
  const char *argv[] = { "sh", "-c", stop_script, "mw-stop", token, NULL };
  g_autofree char *command = mw_shell_join (argv);
  g_autoptr(GError) local_error = NULL;
  MwProcessResult result;
  gboolean ok;

  if (!run_over_ssh (target, command, STOP_TIMEOUT_S, NULL, &result, &local_error))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                   _("stopped here, but it may still run on the host: %s"),
                   local_error->message);
      return FALSE;
    }
  ok = !result.timed_out && result.status == 0;
  if (!ok)
    g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                 _("stopped here, but it may still run on the host: %s"),
                 result.timed_out ? _("the host did not answer") : g_strstrip (result.err));
  mw_process_result_clear (&result);
  return ok;
}

gboolean
mw_setup_ssh_run (const char    *target,
                  const char    *remote_command,
                  GCancellable  *cancellable,
                  char         **stdout_text,
                  GError       **error)
{
  g_autoptr(MwSshTarget) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *wrapped = NULL;
  const char *wrapper[] = { "setsid", "-w", "sh", "-c", remote_command, NULL, NULL };
  MwProcessResult result;
  gboolean ok;

  g_return_val_if_fail (target != NULL && *target != '\0' && *target != '-', FALSE);
  g_return_val_if_fail (remote_command != NULL, FALSE);

  /* user@host[:port]: the port goes to -p, the key must be known (mw_ssh_build_argv). */
  parsed = mw_ssh_target_parse (target, error);
  if (parsed == NULL)
    return FALSE;

  /* On the host the command leads a session and process group of its own, marked by a word of
   * its command line. Killing ssh here stops nothing there (no terminal, no hang-up signal), so
   * a cancel or a timeout kills that group over a second ssh and waits until it is gone: the
   * journal never undoes, or records as not done, a step that still runs. */
  token = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  marker = g_strdup_printf ("mw-step-%s", token);
  wrapper[5] = marker;
  wrapped = mw_shell_join (wrapper);

  if (!run_over_ssh (parsed, wrapped, SETUP_STEP_TIMEOUT_S, cancellable, &result, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !stop_remote_step (parsed, token, error))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (result.timed_out && !stop_remote_step (parsed, token, error))
    {
      mw_process_result_clear (&result);
      return FALSE;
    }

  ok = !result.timed_out && result.status == 0;
  if (!ok)
    {
      const char *text = *g_strstrip (result.err) != '\0' ? result.err : g_strstrip (result.out);

      if (result.timed_out)
        g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_TIMED_OUT,
                     _("the command did not finish within %d s"), SETUP_STEP_TIMEOUT_S);
      else if (*text == '\0')
        g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                     _("the command failed with exit status %d"), result.status);
      else
        g_set_error_literal (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, text);
    }
  else if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&result.out);
  mw_process_result_clear (&result);
  return ok;
}

gboolean
mw_setup_ssh_step (const char    *target,
                   const char    *step,
                   const char    *remote_command,
                   GCancellable  *cancellable,
                   char         **stdout_text,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (mw_setup_ssh_run (target, remote_command, cancellable, stdout_text, &local_error))
    return TRUE;
  mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, target, step, local_error->message);
  return FALSE;
}

/* "SHA256:abc" and "abc" name the same key; ssh-keygen prints it without base64 padding. */
static gboolean
same_fingerprint (const char *fingerprint,
                  const char *accepted)
{
  g_autofree char *wanted = NULL;

  wanted = g_str_has_prefix (accepted, "SHA256:") ? g_strdup (accepted)
                                                  : g_strconcat ("SHA256:", accepted, NULL);
  while (g_str_has_suffix (wanted, "="))
    wanted[strlen (wanted) - 1] = '\0';
  return g_strcmp0 (fingerprint, wanted) == 0;
}

MwSetupHostKeyDecision
mw_setup_host_key_decide (const MwSshHostKeyCheck  *check,
                          const char               *accepted,
                          const MwSshHostKey      **key)
{
  const MwSshHostKey *best;

  g_return_val_if_fail (check != NULL && check->keys != NULL && check->keys->len > 0,
                        MW_SETUP_HOST_KEY_ASK);

  if (key != NULL)
    *key = NULL;
  if (check->state == MW_SSH_HOST_KEY_KNOWN_SAME)
    return MW_SETUP_HOST_KEY_TRUSTED;
  /* CHANGED never gets here: mw_ssh_check_host_key fails loudly instead. */

  best = g_ptr_array_index (check->keys, 0);
  if (key != NULL)
    *key = best;
  if (accepted == NULL || *accepted == '\0')
    return MW_SETUP_HOST_KEY_ASK;
  for (guint i = 0; i < check->keys->len; i++)
    {
      const MwSshHostKey *candidate = g_ptr_array_index (check->keys, i);

      if (same_fingerprint (candidate->fingerprint, accepted))
        {
          if (key != NULL)
            *key = candidate;
          return MW_SETUP_HOST_KEY_ACCEPTED;
        }
    }
  return MW_SETUP_HOST_KEY_MISMATCH;
}
