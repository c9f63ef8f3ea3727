/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh-hostkey.c: a host's SSH keys: asking the host (ssh-keyscan), fingerprinting
 * (ssh-keygen -l), comparing with known_hosts and pinning a confirmed key there.
 *
 * A known host that offers none of its known keys is a loud stop (MW_SSH_ERROR_HOST_KEY_CHANGED),
 * never an update. Blocking; any thread. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-shell.h"
#include "mw-ssh-private.h"

static char *
known_hosts_path (const MwSshContext *context)
{
  g_autofree char *dir = mw_ssh_context_get_dir (context);

  return g_build_filename (dir, "known_hosts", NULL);
}

static int
key_rank (const char *type)
{
  if (g_strcmp0 (type, "ED25519") == 0)
    return 0;
  if (g_strcmp0 (type, "ECDSA") == 0)
    return 1;
  return 2;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  const MwSshHostKey *key_a = *(MwSshHostKey **) a;
  const MwSshHostKey *key_b = *(MwSshHostKey **) b;

  return key_rank (key_a->type) - key_rank (key_b->type);
}

static MwSshHostKey *
fingerprint_key (const char    *key_type,
                 const char    *key_blob,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const char *argv[] = { "ssh-keygen", "-l", "-E", "sha256", "-f", "-", NULL };
  g_autofree char *input = g_strdup_printf ("%s %s\n", key_type, key_blob);
  g_auto(MwSshOutput) run = { NULL };
  g_autoptr(MwSshHostKey) key = g_new0 (MwSshHostKey, 1);

  if (!mw_ssh_run (argv, NULL, input, &run, cancellable, error))
    return NULL;
  if (run.status != 0)
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED,
                   _("ssh-keygen could not read a host key: %s"), run.err);
      return NULL;
    }
  if (!mw_ssh_parse_fingerprint (mw_ssh_first_line (run.out), &key->bits, &key->fingerprint,
                                 &key->type, error))
    return NULL;

  key->key_type = g_strdup (key_type);
  key->key_blob = g_strdup (key_blob);
  return g_steal_pointer (&key);
}

static GPtrArray *
keyscan (const MwSshTarget  *target,
         GCancellable       *cancellable,
         GError            **error)
{
  g_autofree char *port = g_strdup_printf ("%u", target->port != 0 ? target->port : 22);
  const char *argv[] = { "ssh-keyscan", "-T", "5", "-p", port, "-t", "ed25519,ecdsa,rsa",
                         "--", target->host, NULL };
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_ssh_host_key_free);
  g_auto(MwSshOutput) run = { NULL };
  g_auto(GStrv) lines = NULL;

  if (!mw_ssh_run (argv, NULL, NULL, &run, cancellable, error))
    return NULL;

  /* Lines that are not a well-formed key of a known type (a banner, garbage from a tarpit)
   * are skipped: only what ssh itself would accept may reach known_hosts. */
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *key_type = NULL;
      g_autofree char *key_blob = NULL;
      MwSshHostKey *key;

      if (lines[i][0] == '#' || lines[i][0] == '\0'
          || !mw_ssh_parse_keyscan_line (lines[i], &key_type, &key_blob, NULL))
        continue;
      key = fingerprint_key (key_type, key_blob, cancellable, error);
      if (key == NULL)
        return NULL;
      g_ptr_array_add (keys, key);
    }

  if (keys->len == 0)
    {
      g_autofree char *name = mw_ssh_target_to_string (target);

      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_NO_HOST_KEYS,
                   _("%s did not answer with an SSH host key. Check the address and port, and "
                     "that sshd runs there.%s%s"),
                   name, *run.err != '\0' ? "\n" : "", run.err);
      return NULL;
    }

  g_ptr_array_sort (keys, compare_keys);
  return g_steal_pointer (&keys);
}

typedef struct
{
  char *file;
  guint line;
  char *key_type;
  char *key_blob;
} KnownEntry;

static void
known_entry_free (gpointer data)
{
  KnownEntry *entry = data;

  g_free (entry->file);
  g_free (entry->key_type);
  g_free (entry->key_blob);
  g_free (entry);
}

/* ssh-keygen -F finds plain and hashed entries alike and prints "# Host X found: line N" before
 * each. */
static gboolean
lookup_known (const char    *file,
              const char    *name,
              GPtrArray     *entries,
              GCancellable  *cancellable,
              GError       **error)
{
  const char *argv[] = { "ssh-keygen", "-F", name, "-f", file, NULL };
  g_auto(MwSshOutput) run = { NULL };
  g_auto(GStrv) lines = NULL;
  guint line_number = 0;

  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!mw_ssh_run (argv, NULL, NULL, &run, cancellable, error))
    return FALSE;

  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *found = strstr (lines[i], " found: line ");
      g_auto(GStrv) words = NULL;
      KnownEntry *entry;

      if (lines[i][0] == '#')
        {
          if (found != NULL)
            line_number = (guint) g_ascii_strtoull (found + strlen (" found: line "), NULL, 10);
          continue;
        }
      if (lines[i][0] == '\0' || lines[i][0] == '@')
        continue;
      words = g_strsplit (lines[i], " ", 4);
      if (g_strv_length (words) < 3)
        continue;
      entry = g_new0 (KnownEntry, 1);
      entry->file = g_strdup (file);
      entry->line = line_number;
      entry->key_type = g_strdup (words[1]);
      entry->key_blob = g_strdup (words[2]);
      g_ptr_array_add (entries, entry);
    }

  return TRUE;
}

MwSshHostKey *
mw_ssh_host_key_new_from_line (const char    *line,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *copy = NULL;

  g_return_val_if_fail (line != NULL, NULL);

  copy = g_strstrip (g_strdup (line));
  words = g_strsplit (copy, " ", -1);
  for (guint i = 0; words[i] != NULL && words[i + 1] != NULL; i++)
    {
      g_autofree char *pair = g_strdup_printf ("%s %s", words[i], words[i + 1]);

      if (mw_ssh_is_key_type (words[i]))
        {
          if (!mw_ssh_validate_public_key (pair, NULL, error))
            return NULL;
          return fingerprint_key (words[i], words[i + 1], cancellable, error);
        }
    }

  g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID, _("No public key in “%s”."), line);
  return NULL;
}

MwSshHostKeyCheck *
mw_ssh_check_host_key (const MwSshContext  *context,
                       const MwSshTarget   *target,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_autoptr(GPtrArray) keys = NULL;

  g_return_val_if_fail (target != NULL, NULL);

  keys = keyscan (target, cancellable, error);
  if (keys == NULL)
    return NULL;

  return mw_ssh_compare_known_hosts (context, target, keys, cancellable, error);
}

char *
mw_ssh_host_key_compare_advice (const MwSshHostKey *self)
{
  g_autofree char *type = NULL;
  g_autofree char *command = NULL;

  g_return_val_if_fail (self != NULL && self->type != NULL, NULL);

  /* ssh-keygen names them ED25519, ECDSA, RSA; the host's files are ssh_host_ed25519_key.pub … */
  type = g_ascii_strdown (self->type, -1);
  if (strspn (type, "abcdefghijklmnopqrstuvwxyz0123456789") != strlen (type))
    g_clear_pointer (&type, g_free);
  command = g_strdup_printf ("ssh-keygen -l -f /etc/ssh/ssh_host_%s_key.pub",
                             type != NULL ? type : "*");
  /* Translators: %s is a command such as ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub */
  return g_strdup_printf (_("Compare the fingerprint with the one the host’s administrator reads "
                            "on the host (%s): if they differ, someone may be intercepting the "
                            "connection."), command);
}

MwSshHostKeyCheck *
mw_ssh_compare_known_hosts (const MwSshContext  *context,
                            const MwSshTarget   *target,
                            GPtrArray           *keys,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(MwSshHostKeyCheck) check = g_new0 (MwSshHostKeyCheck, 1);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (known_entry_free);
  g_autofree char *user_file = known_hosts_path (context);
  g_autofree char *name = NULL;
  KnownEntry *old;
  g_autoptr(MwSshHostKey) old_key = NULL;
  MwSshHostKey *new_key;
  g_autofree char *qfile = NULL;
  g_autofree char *qname = NULL;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (keys != NULL && keys->len > 0, NULL);

  check->keys = g_ptr_array_ref (keys);

  name = mw_ssh_target_get_known_name (target);
  if (!lookup_known (user_file, name, entries, cancellable, error))
    return NULL;
  if ((context == NULL || context->ssh_dir == NULL)
      && !lookup_known ("/etc/ssh/ssh_known_hosts", name, entries, cancellable, error))
    return NULL;

  if (entries->len == 0)
    {
      check->state = MW_SSH_HOST_KEY_NEW;
      return g_steal_pointer (&check);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      KnownEntry *entry = g_ptr_array_index (entries, i);

      for (guint j = 0; j < check->keys->len; j++)
        {
          MwSshHostKey *key = g_ptr_array_index (check->keys, j);

          if (g_strcmp0 (entry->key_type, key->key_type) == 0
              && g_strcmp0 (entry->key_blob, key->key_blob) == 0)
            {
              check->state = MW_SSH_HOST_KEY_KNOWN_SAME;
              check->known = key;
              return g_steal_pointer (&check);
            }
        }
    }

  /* Known, but with none of the keys offered now: possibly a man in the middle. Never
   * accepted here; the user removes the old line after checking with the host's owner. */
  old = g_ptr_array_index (entries, 0);
  old_key = fingerprint_key (old->key_type, old->key_blob, cancellable, NULL);
  new_key = g_ptr_array_index (check->keys, 0);
  /* the file the line is in: ssh-keygen -R alone edits only ~/.ssh/known_hosts */
  qfile = mw_shell_quote (old->file);
  qname = mw_shell_quote (name);
  g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED,
               _("The host key of %s has CHANGED. Someone may be intercepting the connection, "
                 "or the host was reinstalled.\n"
                 "Known key: %s %s\n"
                 "Offered key: %s %s\n"
                 "Nothing was changed. If the host's owner confirms the new key, remove line %u "
                 "of %s (ssh-keygen -f %s -R %s) and add the host again."),
               name,
               old_key != NULL ? old_key->type : old->key_type,
               old_key != NULL ? old_key->fingerprint : "?",
               new_key->type, new_key->fingerprint,
               old->line, old->file, qfile, qname);
  return NULL;
}

gboolean
mw_ssh_accept_host_key (const MwSshContext  *context,
                        const MwSshTarget   *target,
                        const MwSshHostKey  *key,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autofree char *dir = mw_ssh_context_get_dir (context);
  g_autofree char *file = known_hosts_path (context);
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (known_entry_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) gfile = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  gboolean need_newline = FALSE;

  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  name = mw_ssh_target_get_known_name (target);
  if (!lookup_known (file, name, entries, cancellable, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      KnownEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->key_type, key->key_type) == 0
          && g_strcmp0 (entry->key_blob, key->key_blob) == 0)
        return TRUE;
    }

  if (!mw_ssh_make_dir (dir, error))
    return FALSE;

  gfile = g_file_new_for_path (file);
  stream = g_file_append_to (gfile, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
  /* A last line without its newline (an editor, another tool) must not run into ours. */
  {
    g_autofree char *old = NULL;
    gsize old_len = 0;

    if (stream != NULL && g_file_get_contents (file, &old, &old_len, NULL) && old_len > 0
        && old[old_len - 1] != '\n')
      need_newline = TRUE;
  }
  if (stream == NULL)
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, _("Could not write %s: %s"),
                   file, local_error->message);
      return FALSE;
    }

  line = g_strdup_printf ("%s%s %s %s\n", need_newline ? "\n" : "", name, key->key_type,
                          key->key_blob);
  if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), line, strlen (line), NULL,
                                  cancellable, &local_error)
      || !g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &local_error))
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, _("Could not write %s: %s"),
                   file, local_error->message);
      return FALSE;
    }

  return TRUE;
}

