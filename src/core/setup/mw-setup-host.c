/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-host.c: a set-up's host: its label, its libvirt connection, a command over ssh.
 * Worker threads, except the pure label and login helpers. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-check-facts.h"
#include "mw-process.h"
#include "mw-setup-host.h"
#include "mw-ssh.h"
#include "mw-uri.h"

/* Installing an NFS server over a slow link takes minutes; a step that hangs must end. */
#define SETUP_STEP_TIMEOUT_S 900

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

gboolean
mw_setup_ssh_run (const char    *target,
                  const char    *remote_command,
                  GCancellable  *cancellable,
                  char         **stdout_text,
                  GError       **error)
{
  static const char * const quiet[] = { "-oLogLevel=ERROR", NULL };
  g_autoptr(MwSshTarget) parsed = NULL;
  g_auto(GStrv) argv = NULL;
  MwProcessSpec spec = { NULL, NULL, NULL, SETUP_STEP_TIMEOUT_S };
  MwProcessResult result;
  gboolean ok;

  g_return_val_if_fail (target != NULL && *target != '\0' && *target != '-', FALSE);
  g_return_val_if_fail (remote_command != NULL, FALSE);

  /* user@host[:port]: the port goes to -p, the key must be known (mw_ssh_build_argv). */
  parsed = mw_ssh_target_parse (target, error);
  if (parsed == NULL)
    return FALSE;
  argv = mw_ssh_build_argv (NULL, parsed, quiet, remote_command);
  spec.argv = (const char * const *) argv;

  /* A cancel kills ssh and waits for it (mw-process.h), so the journal never records as not
   * done a step whose ssh still runs. */
  if (!mw_process_run (&spec, cancellable, &result, error))
    return FALSE;

  ok = !result.timed_out && result.status == 0;
  if (!ok)
    {
      const char *text = *g_strstrip (result.err) != '\0' ? result.err : g_strstrip (result.out);

      if (result.timed_out)
        g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
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
