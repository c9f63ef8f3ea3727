/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh-keys.c: the user's own SSH key: checking a public key's text, the remote command that
 * authorises it in authorized_keys, finding the key, making one with ssh-keygen.
 *
 * The only shell string is the authorized_keys command, built from a validated key quoted by
 * mw_shell_quote. Blocking calls run anywhere but the main thread. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-line-editor.h"
#include "mw-migration-options.h"
#include "mw-ssh-private.h"
#include "mw-shell.h"

static const char * const public_key_types[] = {
  "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
  "ssh-rsa", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", NULL,
};


gboolean
mw_ssh_is_key_type (const char *word)
{
  return g_strv_contains (public_key_types, word);
}

gboolean
mw_ssh_validate_public_key (const char  *line,
                            char       **normalized,
                            GError     **error)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) words = NULL;
  gsize blob_length;
  g_autofree guchar *blob = NULL;

  g_return_val_if_fail (line != NULL, FALSE);

  copy = g_strdup (line);
  /* One trailing newline, as a .pub file has, is fine; any other line break is not. */
  if (g_str_has_suffix (copy, "\n"))
    copy[strlen (copy) - 1] = '\0';

  for (const char *p = copy; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p) || *p == '\'' || *p == '"' || *p == '\\' || *p == '`'
          || (guchar) *p >= 0x80)
        {
          g_set_error_literal (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
                               _("The public key is not a single line of plain text."));
          return FALSE;
        }
    }

  words = g_strsplit (copy, " ", 3);
  if (words[0] == NULL || words[1] == NULL
      || !g_strv_contains (public_key_types, words[0]))
    {
      g_set_error_literal (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
                           _("This is not an OpenSSH public key."));
      return FALSE;
    }

  for (const char *p = words[1]; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        {
          g_set_error_literal (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
                               _("The public key's data is damaged."));
          return FALSE;
        }
    }
  blob = g_base64_decode (words[1], &blob_length);
  if (blob_length < 4 + strlen (words[0]) ||
      memcmp (blob + 4, words[0], strlen (words[0])) != 0)
    {
      g_set_error_literal (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
                           _("The public key's data does not match its type."));
      return FALSE;
    }

  if (normalized != NULL)
    *normalized = words[2] != NULL && *g_strstrip (words[2]) != '\0'
                    ? g_strdup_printf ("%s %s %s", words[0], words[1], words[2])
                    : g_strdup_printf ("%s %s", words[0], words[1]);
  return TRUE;
}

/* Runs under the remote user's login shell, which is a POSIX shell on every host libvirt runs
 * on. The key is one quoted word; grep -x -F compares whole lines literally. */
char *
mw_ssh_build_append_key_command (const char  *public_key,
                                 GError     **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *append = NULL;

  if (!mw_ssh_validate_public_key (public_key, &normalized, error))
    return NULL;

  /* the one line editor (mw-line-editor.h): temp file, checked, renamed */
  append = mw_line_editor_add_command ("~/.ssh/authorized_keys", normalized, 0600, NULL, error);
  if (append == NULL)
    return NULL;
  return g_strdup_printf ("umask 077 && mkdir -p -m 700 ~/.ssh && %s > /dev/null && "
                          "chmod 600 ~/.ssh/authorized_keys", append);
}

char *
mw_ssh_find_public_key (const MwSshContext *context)
{
  static const char * const names[] = { "id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub", NULL };
  g_autofree char *dir = mw_ssh_context_get_dir (context);

  /* With an explicit directory only the identity passed with -i counts. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
      if (context != NULL && context->ssh_dir != NULL)
        break;
    }

  return NULL;
}

char *
mw_ssh_generate_key (const MwSshContext  *context,
                     const char          *comment,
                     const char          *passphrase,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autofree char *dir = mw_ssh_context_get_dir (context);
  g_autofree char *path = g_build_filename (dir, "id_ed25519", NULL);
  g_autofree char *public_path = g_strconcat (path, ".pub", NULL);
  g_auto(MwSshOutput) run = { NULL };
  g_auto(GStrv) env = NULL;
  g_autofree char *input = NULL;
  gboolean has_passphrase = passphrase != NULL && *passphrase != '\0';
  /* Without a passphrase -N "" says so; with one, ssh-keygen asks for it (twice) and, with no
   * terminal and SSH_ASKPASS_REQUIRE=force, asks mw-askpass, which reads it from ssh-keygen's
   * stdin: the passphrase is never in an argv or environment another user could read. */
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-C", comment != NULL ? comment : "",
                         "-f", path, has_passphrase ? NULL : "-N", "", NULL };
  gboolean ran;

  if (has_passphrase && (strchr (passphrase, '\n') != NULL || strlen (passphrase) > 4096))
    {
      g_set_error_literal (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
                           _("The passphrase cannot contain a line break."));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (public_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_EXISTS,
                   _("%s exists already: MigWizard does not replace keys."), path);
      return NULL;
    }
  if (!mw_ssh_make_dir (dir, error))
    return NULL;

  if (has_passphrase)
    {
      env = mw_ssh_askpass_env (context);
      input = g_strdup_printf ("%s\n%s\n", passphrase, passphrase);
    }
  ran = mw_ssh_run (argv, (const char * const *) env, input, &run, cancellable, error);
  mw_ssh_wipe (input);
  if (!ran)
    return NULL;
  if (run.status != 0)
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED,
                   _("ssh-keygen could not create the key: %s"), run.err);
      return NULL;
    }

  /* With an agent, add the key so a passphrase is typed once per session, not per login. */
  if (g_getenv ("SSH_AUTH_SOCK") != NULL && (context == NULL || context->ssh_dir == NULL))
    {
      g_auto(GStrv) add_env = mw_ssh_askpass_env (context);
      const char *add_argv[] = { "ssh-add", path, NULL };
      g_autofree char *add_input = g_strdup_printf ("%s\n", passphrase != NULL ? passphrase : "");

      if (!mw_ssh_run (add_argv, (const char * const *) add_env, add_input, NULL, cancellable,
                       NULL))
        g_debug ("ssh-add did not run; the key works without the agent");
      mw_ssh_wipe (add_input);
    }

  return g_steal_pointer (&public_path);
}

