/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh-login.c: logging in to a new host: once with the password to authorise the user's key,
 * then without a password (BatchMode), then through libvirt.
 *
 * The password reaches ssh only through mw-askpass (see mw-ssh.h); the copy in memory is wiped.
 * Blocking; any thread but the main one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>

#include "mw-libvirt.h"
#include "mw-ssh-private.h"

#define MAX_PASSWORD_LENGTH 4096

gboolean
mw_ssh_copy_key (const MwSshContext  *context,
                 const MwSshTarget   *target,
                 const char          *public_key_file,
                 const char          *password,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  g_autofree char *command = NULL;
  g_autofree char *input = NULL;
  g_auto(GStrv) env = NULL;
  g_auto(MwSshOutput) run = { NULL };
  gboolean ran;

  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (public_key_file != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (strlen (password) > MAX_PASSWORD_LENGTH || strchr (password, '\n') != NULL)
    {
      g_set_error_literal (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
                           _("The password cannot contain a line break."));
      return FALSE;
    }
  if (!g_file_get_contents (public_key_file, &contents, NULL, error))
    return FALSE;
  command = mw_ssh_build_append_key_command (contents, error);
  if (command == NULL)
    return FALSE;

  mw_ssh_add_options (argv, context, target);
  g_ptr_array_add (argv, g_strdup ("-oPubkeyAuthentication=no"));
  g_ptr_array_add (argv, g_strdup ("-oPreferredAuthentications=password,keyboard-interactive"));
  g_ptr_array_add (argv, g_strdup ("-oNumberOfPasswordPrompts=1"));
  g_ptr_array_add (argv, g_strdup ("-T"));
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, g_strdup (target->host));
  g_ptr_array_add (argv, g_steal_pointer (&command));
  g_ptr_array_add (argv, NULL);

  env = mw_ssh_askpass_env (context);
  input = g_strdup_printf ("%s\n", password);
  ran = mw_ssh_run ((const char * const *) argv->pdata, (const char * const *) env, input, &run,
                    cancellable, error);
  mw_ssh_wipe (input);
  if (!ran)
    return FALSE;
  if (run.status != 0)
    return mw_ssh_set_failed (_("Copying the key"), run.status, run.err, error);

  return TRUE;
}

gboolean
mw_ssh_test_login (const MwSshContext  *context,
                   const MwSshTarget   *target,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_auto(MwSshOutput) run = { NULL };

  g_return_val_if_fail (target != NULL, FALSE);

  if (!mw_ssh_run_batch (context, target, "true", &run, cancellable, error))
    return FALSE;
  if (run.status != 0)
    return mw_ssh_set_failed (_("Logging in without a password"), run.status, run.err, error);

  return TRUE;
}

MwSshLibvirtInfo *
mw_ssh_test_libvirt (const char    *uri_text,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(MwUri) uri = NULL;
  g_autoptr(MwSshLibvirtInfo) info = g_new0 (MwSshLibvirtInfo, 1);
  g_autofree char *hostname = NULL;
  virConnectPtr conn;
  unsigned long lib_version = 0;
  unsigned long hv_version = 0;
  const char *type;

  g_return_val_if_fail (uri_text != NULL, NULL);

  uri = mw_uri_parse (uri_text, error);
  if (uri == NULL)
    return NULL;
  conn = mw_libvirt_open (uri_text, _("Could not connect to libvirt"), error);
  if (conn == NULL)
    return NULL;

  hostname = virConnectGetHostname (conn);
  type = virConnectGetType (conn);
  if (virConnectGetLibVersion (conn, &lib_version) < 0
      || virConnectGetVersion (conn, &hv_version) < 0)
    {
      mw_libvirt_set_error (error, _("Could not read the versions"));
      virConnectClose (conn);
      return NULL;
    }
  info->hostname = g_strdup (hostname);
  free (g_steal_pointer (&hostname));
  info->hypervisor = g_strdup (type);
  info->lib_version = lib_version;
  info->hv_version = hv_version;
  virConnectClose (conn);

  return g_steal_pointer (&info);
}

