/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh-p2p.c: peer-to-peer migration's own ssh: the source's libvirtd, as root, logs in to the
 * destination with root's key. Checking that login, and setting it up: root's key made on the
 * source, the destination's confirmed host key pinned there, the key authorised for root on the
 * destination.
 *
 * The remote commands are built from validated, mw_shell_quote'd words. Blocking; any thread but
 * the main one. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mw-line-editor.h"
#include "mw-migration-options.h"
#include "mw-ssh-private.h"
#include "mw-shell.h"

/* target, logging in as root */
static MwSshTarget *
as_root (const MwSshTarget *target)
{
  MwSshTarget *root = mw_ssh_target_copy (target);

  g_free (root->user);
  root->user = g_strdup ("root");
  return root;
}

gboolean
mw_ssh_check_p2p (const MwSshContext  *context,
                  const MwSshTarget   *source,
                  const char          *dest_host,
                  char               **explanation,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(MwSshTarget) root_source = NULL;
  g_autofree char *command = NULL;
  g_auto(MwSshOutput) run = { NULL };
  /* libvirtd's own ssh on the source, as p2p runs it: no prompt, root's key. */
  const char *p2p_ssh[] = { "ssh", "-o", "BatchMode=yes",
                            "-o", "ConnectTimeout=" MW_SSH_CONNECT_TIMEOUT_S,
                            "-l", "root", "--", dest_host, "true", NULL };

  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (dest_host != NULL, FALSE);

  if (!mw_uri_validate_host (dest_host, error))
    return FALSE;

  root_source = as_root (source);

  /* For the source's shell, quoted in the one place (the host is validated, too). */
  command = mw_shell_join (p2p_ssh);

  if (!mw_ssh_run_batch (context, root_source, command, &run, cancellable, error))
    return FALSE;

  if (run.status == 0)
    {
      if (explanation != NULL)
        *explanation = g_strdup_printf (_("root on %s logs in to %s with its key: peer-to-peer "
                                          "migration can use qemu+ssh://root@%s/system."),
                                        source->host, dest_host, dest_host);
      return TRUE;
    }

  if (explanation != NULL)
    {
      if (run.status == 255 && strstr (run.err, "Host key verification failed") != NULL)
        *explanation = g_strdup_printf (_("In peer-to-peer migration the libvirt daemon on %s "
                                          "connects to %s itself, as root. root on %s does "
                                          "not know %s’s host key yet. Set it up: MigWizard "
                                          "shows the key’s fingerprint for you to confirm."),
                                        source->host, dest_host, source->host, dest_host);
      else
        *explanation = g_strdup_printf (_("In peer-to-peer migration the libvirt daemon on %s "
                                          "connects to %s itself, with root’s SSH key, and "
                                          "cannot ask for a password. That login does not "
                                          "work yet (%s). Set it up: MigWizard authorises "
                                          "root’s key from %s on %s."),
                                        source->host, dest_host, mw_ssh_first_line (run.err),
                                        source->host, dest_host);
    }
  return FALSE;
}

char *
mw_ssh_build_p2p_setup_command (const char          *dest_host,
                                const MwSshHostKey  *dest_key,
                                GError             **error)
{
  g_autofree char *line = NULL;
  g_autofree char *quoted_host = NULL;
  g_autofree char *known = NULL;
  g_autofree char *append = NULL;
  g_autofree char *check = NULL;

  g_return_val_if_fail (dest_host != NULL, NULL);
  g_return_val_if_fail (dest_key != NULL, NULL);

  if (!mw_uri_validate_host (dest_host, error))
    return NULL;
  check = g_strdup_printf ("%s %s", dest_key->key_type, dest_key->key_blob);
  if (!mw_ssh_validate_public_key (check, NULL, error))
    return NULL;

  line = g_strdup_printf ("%s %s %s", dest_host, dest_key->key_type, dest_key->key_blob);
  quoted_host = mw_shell_quote (dest_host);
  /* the one line editor (mw-line-editor.h); a host known already (hashed too) is left alone */
  known = g_strdup_printf ("if [ -f \"$f\" ] && ssh-keygen -F %s -f \"$f\" > /dev/null 2>&1; "
                           "then echo unchanged; exit 0; fi", quoted_host);
  append = mw_line_editor_add_command ("~/.ssh/known_hosts", line, 0600, known, error);
  if (append == NULL)
    return NULL;
  return g_strdup_printf ("umask 077 && mkdir -p -m 700 ~/.ssh && "
                          "{ test -f ~/.ssh/id_ed25519 || "
                          "ssh-keygen -q -t ed25519 -N '' -C \"root@$(hostname)\" "
                          "-f ~/.ssh/id_ed25519 < /dev/null; } && "
                          "%s > /dev/null && "
                          "cat ~/.ssh/id_ed25519.pub",
                          append);
}

static MwSshSetupP2pHook setup_p2p_hook;   /* tests only; set before any worker runs */

void
mw_ssh_set_setup_p2p_hook (MwSshSetupP2pHook hook)
{
  setup_p2p_hook = hook;
}

gboolean
mw_ssh_setup_p2p (const MwSshContext  *context,
                  const MwSshTarget   *source,
                  const MwSshTarget   *dest,
                  const MwSshHostKey  *dest_key,
                  const char          *dest_password,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(MwSshTarget) root_source = NULL;
  g_autoptr(MwSshTarget) root_dest = NULL;
  g_autofree char *command = NULL;
  g_autofree char *append = NULL;
  g_auto(MwSshOutput) source_run = { NULL };
  g_auto(MwSshOutput) dest_run = { NULL };

  g_return_val_if_fail (source != NULL && dest != NULL && dest_key != NULL, FALSE);

  if (setup_p2p_hook != NULL)
    return setup_p2p_hook (context, source, dest, dest_key, dest_password, cancellable, error);

  command = mw_ssh_build_p2p_setup_command (dest->host, dest_key, error);
  if (command == NULL)
    return FALSE;

  root_source = as_root (source);
  if (!mw_ssh_run_batch (context, root_source, command, &source_run, cancellable, error))
    return FALSE;
  if (source_run.status != 0)
    return mw_ssh_set_failed (_("Preparing root’s key on the source"), source_run.status,
                              source_run.err, error);

  root_dest = as_root (dest);

  if (dest_password != NULL)
    {
      g_autofree char *tmp = NULL;
      g_autoptr(GFileIOStream) io = NULL;
      g_autoptr(GFile) file = g_file_new_tmp ("mw-p2p-XXXXXX.pub", &io, error);
      gboolean ok;

      /* A public key only: harmless on disk, and mw_ssh_copy_key reads a file. */
      if (file == NULL)
        return FALSE;
      tmp = g_file_get_path (file);
      ok = g_file_set_contents (tmp, source_run.out, -1, error)
           && mw_ssh_copy_key (context, root_dest, tmp, dest_password, cancellable, error);
      g_unlink (tmp);
      return ok;
    }

  append = mw_ssh_build_append_key_command (mw_ssh_first_line (source_run.out), error);
  if (append == NULL)
    return FALSE;
  if (!mw_ssh_run_batch (context, root_dest, append, &dest_run, cancellable, error))
    return FALSE;
  if (dest_run.status != 0)
    return mw_ssh_set_failed (_("Authorising the source’s root key on the destination"),
                              dest_run.status, dest_run.err, error);

  return TRUE;
}

