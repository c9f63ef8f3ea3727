/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh.c: host keys, user keys, key copying and login tests with the user's OpenSSH.
 *
 * Workers get copies of their input (context, target, key) in their task data and return plain
 * results; nothing here touches shared state. Programs run with setsid () so ssh never finds a
 * terminal to prompt on: a password goes through mw-askpass, everything else is BatchMode.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-migration-options.h"
#include "mw-process.h"
#include "mw-ssh.h"

G_DEFINE_QUARK (mw-ssh-error-quark, mw_ssh_error)

G_DEFINE_BOXED_TYPE (MwSshContext, mw_ssh_context, mw_ssh_context_copy, mw_ssh_context_free)
G_DEFINE_BOXED_TYPE (MwSshTarget, mw_ssh_target, mw_ssh_target_copy, mw_ssh_target_free)
G_DEFINE_BOXED_TYPE (MwSshHostKey, mw_ssh_host_key, mw_ssh_host_key_copy, mw_ssh_host_key_free)

#define SSH_TIMEOUT_S "10"
#define MAX_PASSWORD_LENGTH 4096

/* ---- plain values ------------------------------------------------------------------------- */

MwSshContext *
mw_ssh_context_new (const char *ssh_dir)
{
  MwSshContext *self = g_new0 (MwSshContext, 1);

  self->ssh_dir = g_strdup (ssh_dir);
  return self;
}

MwSshContext *
mw_ssh_context_copy (const MwSshContext *self)
{
  MwSshContext *copy;

  if (self == NULL)
    return mw_ssh_context_new (NULL);

  copy = mw_ssh_context_new (self->ssh_dir);
  copy->config_file = g_strdup (self->config_file);
  copy->askpass = g_strdup (self->askpass);
  return copy;
}

void
mw_ssh_context_free (MwSshContext *self)
{
  if (self == NULL)
    return;

  g_free (self->ssh_dir);
  g_free (self->config_file);
  g_free (self->askpass);
  g_free (self);
}

char *
mw_ssh_context_get_dir (const MwSshContext *self)
{
  if (self != NULL && self->ssh_dir != NULL)
    return g_strdup (self->ssh_dir);

  return g_build_filename (g_get_home_dir (), ".ssh", NULL);
}

static char *
get_askpass (const MwSshContext *context)
{
  const char *env = g_getenv ("MW_ASKPASS");

  if (context != NULL && context->askpass != NULL)
    return g_strdup (context->askpass);
  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (LIBEXECDIR, "mw-askpass", NULL);
}

MwSshTarget *
mw_ssh_target_copy (const MwSshTarget *self)
{
  MwSshTarget *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (MwSshTarget, 1);
  copy->user = g_strdup (self->user);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  return copy;
}

void
mw_ssh_target_free (MwSshTarget *self)
{
  if (self == NULL)
    return;

  g_free (self->user);
  g_free (self->host);
  g_free (self);
}

/* user@host[:port]. The host goes through mw-uri's validation (and comes back normalised, so an
 * IDN name is in its xn-- form), the user through mw_uri_validate_user. */
MwSshTarget *
mw_ssh_target_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(MwSshTarget) target = NULL;
  g_autoptr(MwUri) uri = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *built = NULL;
  g_autofree char *trimmed = NULL;
  const char *at;
  const char *rest;
  guint port = 0;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY,
                           _("Enter the host as user@host, or user@host:port."));
      return NULL;
    }

  if (!g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                           _("The address is not valid text."));
      return NULL;
    }
  /* Spaces, controls and invisible characters (a zero-width space would vanish in IDNA
   * mapping and make "host\u200bb" reach hostb) are refused before anything else. */
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isgraph (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                               _("The address cannot contain spaces."));
          return NULL;
        }
    }

  at = strrchr (trimmed, '@');
  if (at != NULL)
    {
      user = g_strndup (trimmed, at - trimmed);
      rest = at + 1;
      if (*user == '\0')
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_USER,
                               _("Enter a user name before “@”."));
          return NULL;
        }
    }
  else
    rest = trimmed;

  if (rest[0] == '[')
    {
      const char *close = strchr (rest, ']');

      if (close == NULL)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                               _("An IPv6 address in “[” needs its closing “]”."));
          return NULL;
        }
      host = g_strndup (rest + 1, close - rest - 1);
      if (strchr (host, ':') == NULL)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                               _("Only an IPv6 address goes in “[ ]”."));
          return NULL;
        }
      if (close[1] == ':')
        {
          if (!mw_uri_parse_port (close + 2, &port, error))
            return NULL;
          if (port == 0)
            {
              g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_PORT,
                                   _("Enter a port number after “:”."));
              return NULL;
            }
        }
      else if (close[1] != '\0')
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                               _("Only “:port” may follow an IPv6 address in “[ ]”."));
          return NULL;
        }
    }
  else
    {
      const char *colon = strchr (rest, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          /* More than one colon: a bare IPv6 address, which cannot carry a port. */
          host = g_strdup (rest);
        }
      else if (colon != NULL)
        {
          host = g_strndup (rest, colon - rest);
          if (!mw_uri_parse_port (colon + 1, &port, error))
            return NULL;
          if (port == 0)
            {
              g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_PORT,
                                   _("Enter a port number after “:”."));
              return NULL;
            }
        }
      else
        host = g_strdup (rest);
    }

  /* mw-uri is the one place that knows what a valid user and host are: build the URI and read
   * back the normalised parts. */
  built = mw_uri_build (MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, user, host, port, error);
  if (built == NULL)
    return NULL;
  uri = mw_uri_parse (built, error);
  if (uri == NULL)
    return NULL;

  target = g_new0 (MwSshTarget, 1);
  target->user = g_strdup (uri->user);
  target->host = g_strdup (uri->host);
  target->port = uri->port == 22 ? 0 : uri->port;
  return g_steal_pointer (&target);
}

static gboolean
is_ipv6 (const char *host)
{
  return strchr (host, ':') != NULL;
}

char *
mw_ssh_target_get_known_name (const MwSshTarget *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->port == 0 || self->port == 22)
    return g_strdup (self->host);

  return g_strdup_printf ("[%s]:%u", self->host, self->port);
}

char *
mw_ssh_target_to_string (const MwSshTarget *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  host = is_ipv6 (self->host) ? g_strdup_printf ("[%s]", self->host) : g_strdup (self->host);
  if (self->port != 0 && self->port != 22)
    {
      char *with_port = g_strdup_printf ("%s:%u", host, self->port);

      g_free (host);
      host = with_port;
    }

  if (self->user != NULL)
    return g_strdup_printf ("%s@%s", self->user, host);

  return g_steal_pointer (&host);
}

char *
mw_ssh_target_to_uri (const MwSshTarget  *self,
                      MwHypervisor        hypervisor,
                      MwTransport         transport,
                      GError            **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  /* The port belongs to ssh only; TLS and TCP have their own. */
  return mw_uri_build (hypervisor, transport, self->user, self->host,
                       transport == MW_TRANSPORT_SSH ? self->port : 0, error);
}

MwSshHostKey *
mw_ssh_host_key_copy (const MwSshHostKey *self)
{
  MwSshHostKey *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (MwSshHostKey, 1);
  copy->type = g_strdup (self->type);
  copy->bits = self->bits;
  copy->fingerprint = g_strdup (self->fingerprint);
  copy->key_type = g_strdup (self->key_type);
  copy->key_blob = g_strdup (self->key_blob);
  return copy;
}

void
mw_ssh_host_key_free (MwSshHostKey *self)
{
  if (self == NULL)
    return;

  g_free (self->type);
  g_free (self->fingerprint);
  g_free (self->key_type);
  g_free (self->key_blob);
  g_free (self);
}

void
mw_ssh_host_key_check_free (MwSshHostKeyCheck *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_free (self);
}

void
mw_ssh_libvirt_info_free (MwSshLibvirtInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->hostname);
  g_free (self->hypervisor);
  g_free (self);
}

char *
mw_ssh_format_version (gulong version)
{
  return g_strdup_printf ("%lu.%lu.%lu", version / 1000000, (version / 1000) % 1000,
                          version % 1000);
}

gboolean
mw_ssh_parse_fingerprint (const char  *line,
                          guint       *bits,
                          char       **fingerprint,
                          char       **type,
                          GError     **error)
{
  g_auto(GStrv) words = NULL;
  guint n;
  guint64 value = 0;
  const char *last;
  gsize last_length;

  g_return_val_if_fail (line != NULL, FALSE);

  words = g_strsplit_set (line, " \t\r\n", -1);
  /* Squeeze the empty words runs of blanks leave. */
  n = 0;
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] != '\0')
        {
          char *word = words[i];

          words[i] = NULL;
          words[n++] = word;
        }
      else
        g_clear_pointer (&words[i], g_free);
    }
  words[n] = NULL;

  if (n < 3
      || !g_ascii_string_to_unsigned (words[0], 10, 1, 65536, &value, NULL)
      || !g_str_has_prefix (words[1], "SHA256:") || strlen (words[1]) <= strlen ("SHA256:"))
    goto bad;

  last = words[n - 1];
  last_length = strlen (last);
  if (last_length < 3 || last[0] != '(' || last[last_length - 1] != ')')
    goto bad;

  if (bits != NULL)
    *bits = (guint) value;
  if (fingerprint != NULL)
    *fingerprint = g_strdup (words[1]);
  if (type != NULL)
    *type = g_strndup (last + 1, last_length - 2);
  return TRUE;

bad:
  g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
               _("Unexpected fingerprint line from ssh-keygen: “%s”."), line);
  return FALSE;
}

static const char * const public_key_types[] = {
  "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
  "ssh-rsa", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", NULL,
};

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
  g_autofree char *quoted = NULL;

  if (!mw_ssh_validate_public_key (public_key, &normalized, error))
    return NULL;

  quoted = mw_shell_quote (normalized);
  return g_strdup_printf ("umask 077 && mkdir -p -m 700 ~/.ssh && "
                          "touch ~/.ssh/authorized_keys && "
                          "{ grep -qxF %s ~/.ssh/authorized_keys || "
                          "printf '%%s\\n' %s >> ~/.ssh/authorized_keys; } && "
                          "chmod 600 ~/.ssh/authorized_keys",
                          quoted, quoted);
}

/* ---- running programs --------------------------------------------------------------------- */

/* Every program here runs through the one runner (mw-process.h): no terminal, LC_ALL=C, its own
 * process group killed on cancel. stdin_text may hold a password: the caller wipes it. */
#define SSH_RUN_TIMEOUT_S 300

static gboolean
run_argv (const char * const  *argv,
          const char * const  *extra_env,
          const char          *stdin_text,
          char               **out,
          char               **err,
          int                 *exit_status,
          GCancellable        *cancellable,
          GError             **error)
{
  MwProcessSpec spec = { argv, extra_env, stdin_text, SSH_RUN_TIMEOUT_S };
  MwProcessResult result;
  g_autoptr(GError) local_error = NULL;

  if (!mw_process_run (&spec, cancellable, &result, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, local_error->message);
      return FALSE;
    }
  if (out != NULL)
    *out = g_steal_pointer (&result.out);
  if (err != NULL)
    *err = g_strstrip (g_steal_pointer (&result.err));
  if (exit_status != NULL)
    *exit_status = result.status;
  mw_process_result_clear (&result);
  return TRUE;
}

static char *
known_hosts_path (const MwSshContext *context)
{
  g_autofree char *dir = mw_ssh_context_get_dir (context);

  return g_build_filename (dir, "known_hosts", NULL);
}

/* The options every ssh gets: the explicit files when the context names a directory, the
 * target's port and user, and a refusal of unknown or changed host keys. */
static void
add_ssh_options (GPtrArray          *argv,
                 const MwSshContext *context,
                 const MwSshTarget  *target)
{
  const char *program = g_getenv ("MW_SSH");

  /* MW_SSH: the tests' stand-in for ssh. */
  g_ptr_array_add (argv, g_strdup (program != NULL && *program != '\0' ? program : "ssh"));
  if (context != NULL && context->config_file != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-F"));
      g_ptr_array_add (argv, g_strdup (context->config_file));
    }
  if (context != NULL && context->ssh_dir != NULL)
    {
      g_autofree char *identity = g_build_filename (context->ssh_dir, "id_ed25519", NULL);

      g_ptr_array_add (argv, g_strdup_printf ("-oUserKnownHostsFile=%s/known_hosts",
                                              context->ssh_dir));
      g_ptr_array_add (argv, g_strdup ("-oGlobalKnownHostsFile=/dev/null"));
      g_ptr_array_add (argv, g_strdup ("-i"));
      g_ptr_array_add (argv, g_steal_pointer (&identity));
    }
  g_ptr_array_add (argv, g_strdup ("-oStrictHostKeyChecking=yes"));
  g_ptr_array_add (argv, g_strdup ("-oConnectTimeout=" SSH_TIMEOUT_S));
  if (target->port != 0)
    {
      g_ptr_array_add (argv, g_strdup ("-p"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", target->port));
    }
  if (target->user != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-l"));
      g_ptr_array_add (argv, g_strdup (target->user));
    }
}

GStrv
mw_ssh_build_argv (const MwSshContext *context,
                   const MwSshTarget  *target,
                   const char * const *extra_options,
                   const char         *remote_command)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (target != NULL && target->host != NULL, NULL);
  g_return_val_if_fail (remote_command != NULL, NULL);

  add_ssh_options (argv, context, target);
  g_ptr_array_add (argv, g_strdup ("-oBatchMode=yes"));
  g_ptr_array_add (argv, g_strdup ("-T"));
  for (guint i = 0; extra_options != NULL && extra_options[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_options[i]));
  /* mw_ssh_target_parse validated the host: after "--" it can only be a host. */
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, g_strdup (target->host));
  g_ptr_array_add (argv, g_strdup (remote_command));
  g_ptr_array_add (argv, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&argv), FALSE);
}

static const char *
first_line (const char *text)
{
  static GPrivate buffer = G_PRIVATE_INIT (g_free);
  const char *newline = text != NULL ? strchr (text, '\n') : NULL;
  char *line;

  if (text == NULL || *text == '\0')
    return "";
  line = newline != NULL ? g_strndup (text, newline - text) : g_strdup (text);
  g_private_replace (&buffer, line);
  return line;
}

/* ---- host keys ---------------------------------------------------------------------------- */

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
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(MwSshHostKey) key = g_new0 (MwSshHostKey, 1);
  int status = -1;

  if (!run_argv (argv, NULL, input, &out, &err, &status, cancellable, error))
    return NULL;
  if (status != 0)
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED,
                   _("ssh-keygen could not read a host key: %s"), err);
      return NULL;
    }
  if (!mw_ssh_parse_fingerprint (first_line (out), &key->bits, &key->fingerprint, &key->type,
                                 error))
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
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  int status = -1;

  if (!run_argv (argv, NULL, NULL, &out, &err, &status, cancellable, error))
    return NULL;

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      MwSshHostKey *key;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      words = g_strsplit (lines[i], " ", 4);
      if (g_strv_length (words) < 3)
        continue;
      key = fingerprint_key (words[1], words[2], cancellable, error);
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
                   name, *err != '\0' ? "\n" : "", err);
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
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint line_number = 0;

  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!run_argv (argv, NULL, NULL, &out, NULL, NULL, cancellable, error))
    return FALSE;

  lines = g_strsplit (out, "\n", -1);
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

      if (g_strv_contains (public_key_types, words[i]))
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
  g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED,
               _("The host key of %s has CHANGED. Someone may be intercepting the connection, "
                 "or the host was reinstalled.\n"
                 "Known key: %s %s\n"
                 "Offered key: %s %s\n"
                 "Nothing was changed. If the host's owner confirms the new key, remove line %u "
                 "of %s (ssh-keygen -R %s) and add the host again."),
               name,
               old_key != NULL ? old_key->type : old->key_type,
               old_key != NULL ? old_key->fingerprint : "?",
               new_key->type, new_key->fingerprint,
               old->line, old->file, name);
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

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, _("Could not create %s: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  gfile = g_file_new_for_path (file);
  stream = g_file_append_to (gfile, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, _("Could not write %s: %s"),
                   file, local_error->message);
      return FALSE;
    }

  line = g_strdup_printf ("%s %s %s\n", name, key->key_type, key->key_blob);
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

/* ---- the user's key ----------------------------------------------------------------------- */

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

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

static const char **
askpass_env (const MwSshContext *context,
             char              **askpass_out)
{
  static const char *env[9];
  const char *display = g_getenv ("DISPLAY");

  *askpass_out = get_askpass (context);
  env[0] = "SSH_ASKPASS";
  env[1] = *askpass_out;
  env[2] = "SSH_ASKPASS_REQUIRE";
  env[3] = "force";
  env[4] = "DISPLAY";
  env[5] = display != NULL && *display != '\0' ? display : ":0";
  env[6] = "MW_ASKPASS_FD";
  env[7] = "0";
  env[8] = NULL;
  return env;
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
  g_autofree char *err = NULL;
  int status = -1;
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N",
                         passphrase != NULL ? passphrase : "", "-C",
                         comment != NULL ? comment : "", "-f", path, NULL };

  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (public_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_EXISTS,
                   _("%s exists already: MigWizard does not replace keys."), path);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, _("Could not create %s: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  /* ssh-keygen has no other non-interactive way to take the passphrase than -N; the argument
   * lives as long as this short process, on the user's own machine. */
  if (!run_argv (argv, NULL, NULL, NULL, &err, &status, cancellable, error))
    return NULL;
  if (status != 0)
    {
      g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED,
                   _("ssh-keygen could not create the key: %s"), err);
      return NULL;
    }

  /* With an agent, add the key so a passphrase is typed once per session, not per login. */
  if (g_getenv ("SSH_AUTH_SOCK") != NULL && (context == NULL || context->ssh_dir == NULL))
    {
      g_autofree char *askpass = NULL;
      const char **env = askpass_env (context, &askpass);
      const char *add_argv[] = { "ssh-add", path, NULL };
      g_autofree char *input = g_strdup_printf ("%s\n", passphrase != NULL ? passphrase : "");

      if (!run_argv (add_argv, env, input, NULL, NULL, NULL, cancellable, NULL))
        g_debug ("ssh-add did not run; the key works without the agent");
      wipe (input);
    }

  return g_steal_pointer (&public_path);
}

/* ---- logging in --------------------------------------------------------------------------- */

static gboolean
ssh_failed (const char  *what,
            int          status,
            const char  *err,
            GError     **error)
{
  if (strstr (err, "REMOTE HOST IDENTIFICATION HAS CHANGED") != NULL)
    g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED,
                 _("%s: the host key has CHANGED; nothing was done.\n%s"), what, err);
  else if (strstr (err, "Permission denied") != NULL)
    g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_AUTH, _("%s: the login was refused.\n%s"),
                 what, err);
  else
    g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, _("%s failed (exit %d).\n%s"),
                 what, status, err);
  return FALSE;
}

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
  g_autofree char *askpass = NULL;
  g_autofree char *input = NULL;
  g_autofree char *err = NULL;
  const char **env;
  int status = -1;
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

  add_ssh_options (argv, context, target);
  g_ptr_array_add (argv, g_strdup ("-oPubkeyAuthentication=no"));
  g_ptr_array_add (argv, g_strdup ("-oPreferredAuthentications=password,keyboard-interactive"));
  g_ptr_array_add (argv, g_strdup ("-oNumberOfPasswordPrompts=1"));
  g_ptr_array_add (argv, g_strdup ("-T"));
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, g_strdup (target->host));
  g_ptr_array_add (argv, g_steal_pointer (&command));
  g_ptr_array_add (argv, NULL);

  env = askpass_env (context, &askpass);
  input = g_strdup_printf ("%s\n", password);
  ran = run_argv ((const char * const *) argv->pdata, env, input, NULL, &err, &status,
                  cancellable, error);
  wipe (input);
  if (!ran)
    return FALSE;
  if (status != 0)
    return ssh_failed (_("Copying the key"), status, err, error);

  return TRUE;
}

static gboolean
run_batch_ssh (const MwSshContext  *context,
               const MwSshTarget   *target,
               const char          *command,
               char               **out,
               char               **err_out,
               int                 *status_out,
               GCancellable        *cancellable,
               GError             **error)
{
  g_auto(GStrv) argv = mw_ssh_build_argv (context, target, NULL, command);

  return run_argv ((const char * const *) argv, NULL, "", out, err_out, status_out,
                   cancellable, error);
}

gboolean
mw_ssh_test_login (const MwSshContext  *context,
                   const MwSshTarget   *target,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autofree char *err = NULL;
  int status = -1;

  g_return_val_if_fail (target != NULL, FALSE);

  if (!run_batch_ssh (context, target, "true", NULL, &err, &status, cancellable, error))
    return FALSE;
  if (status != 0)
    return ssh_failed (_("Logging in without a password"), status, err, error);

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

/* ---- peer-to-peer ------------------------------------------------------------------------- */

gboolean
mw_ssh_check_p2p (const MwSshContext  *context,
                  const MwSshTarget   *source,
                  const char          *dest_host,
                  char               **explanation,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(MwSshTarget) root_source = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *command = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (dest_host != NULL, FALSE);

  if (!mw_uri_validate_host (dest_host, error))
    return FALSE;

  root_source = mw_ssh_target_copy (source);
  g_free (root_source->user);
  root_source->user = g_strdup ("root");

  /* The one string here is for the source's shell: the host is validated and quoted. */
  dest = mw_shell_quote (dest_host);
  command = g_strdup_printf ("ssh -o BatchMode=yes -o ConnectTimeout=" SSH_TIMEOUT_S
                             " -l root -- %s true", dest);

  if (!run_batch_ssh (context, root_source, command, NULL, &err, &status, cancellable, error))
    return FALSE;

  if (status == 0)
    {
      if (explanation != NULL)
        *explanation = g_strdup_printf (_("root on %s logs in to %s with its key: peer-to-peer "
                                          "migration can use qemu+ssh://root@%s/system."),
                                        source->host, dest_host, dest_host);
      return TRUE;
    }

  if (explanation != NULL)
    {
      if (status == 255 && strstr (err, "Host key verification failed") != NULL)
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
                                        source->host, dest_host, first_line (err),
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
  g_autofree char *quoted_line = NULL;
  g_autofree char *quoted_host = NULL;
  g_autofree char *check = NULL;

  g_return_val_if_fail (dest_host != NULL, NULL);
  g_return_val_if_fail (dest_key != NULL, NULL);

  if (!mw_uri_validate_host (dest_host, error))
    return NULL;
  check = g_strdup_printf ("%s %s", dest_key->key_type, dest_key->key_blob);
  if (!mw_ssh_validate_public_key (check, NULL, error))
    return NULL;

  line = g_strdup_printf ("%s %s %s", dest_host, dest_key->key_type, dest_key->key_blob);
  quoted_line = mw_shell_quote (line);
  quoted_host = mw_shell_quote (dest_host);
  return g_strdup_printf ("umask 077 && mkdir -p -m 700 ~/.ssh && "
                          "{ test -f ~/.ssh/id_ed25519 || "
                          "ssh-keygen -q -t ed25519 -N '' -C \"root@$(hostname)\" "
                          "-f ~/.ssh/id_ed25519 < /dev/null; } && "
                          "touch ~/.ssh/known_hosts && "
                          "{ ssh-keygen -F %s -f ~/.ssh/known_hosts > /dev/null || "
                          "printf '%%s\\n' %s >> ~/.ssh/known_hosts; } && "
                          "cat ~/.ssh/id_ed25519.pub",
                          quoted_host, quoted_line);
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
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_return_val_if_fail (source != NULL && dest != NULL && dest_key != NULL, FALSE);

  command = mw_ssh_build_p2p_setup_command (dest->host, dest_key, error);
  if (command == NULL)
    return FALSE;

  root_source = mw_ssh_target_copy (source);
  g_free (root_source->user);
  root_source->user = g_strdup ("root");
  if (!run_batch_ssh (context, root_source, command, &out, &err, &status, cancellable, error))
    return FALSE;
  if (status != 0)
    return ssh_failed (_("Preparing root’s key on the source"), status, err, error);

  root_dest = mw_ssh_target_copy (dest);
  g_free (root_dest->user);
  root_dest->user = g_strdup ("root");

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
      if (!g_file_set_contents (tmp, out, -1, error))
        return FALSE;
      ok = mw_ssh_copy_key (context, root_dest, tmp, dest_password, cancellable, error);
      g_unlink (tmp);
      return ok;
    }

  append = mw_ssh_build_append_key_command (first_line (out), error);
  if (append == NULL)
    return FALSE;
  g_clear_pointer (&err, g_free);
  if (!run_batch_ssh (context, root_dest, append, NULL, &err, &status, cancellable, error))
    return FALSE;
  if (status != 0)
    return ssh_failed (_("Authorising the source’s root key on the destination"), status, err,
                       error);

  return TRUE;
}

/* ---- async wrappers ----------------------------------------------------------------------- */

typedef struct
{
  MwSshContext *context;
  MwSshTarget *target;
  MwSshHostKey *key;
  char *text;      /* uri, comment, public key file */
  char *secret;    /* password or passphrase, wiped when freed */
} OpData;

static void
op_data_free (gpointer data)
{
  OpData *op = data;

  mw_ssh_context_free (op->context);
  mw_ssh_target_free (op->target);
  mw_ssh_host_key_free (op->key);
  g_free (op->text);
  wipe (op->secret);
  g_free (op->secret);
  g_free (op);
}

static GTask *
op_task_new (gpointer             source_tag,
             const MwSshContext  *context,
             const MwSshTarget   *target,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             OpData             **op_out)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  OpData *op = g_new0 (OpData, 1);

  op->context = mw_ssh_context_copy (context);
  op->target = target != NULL ? mw_ssh_target_copy (target) : NULL;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_data_free);
  *op_out = op;
  return task;
}

static gboolean
op_task_check (GAsyncResult *result,
               gpointer      source_tag)
{
  return g_task_is_valid (result, NULL) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

static void
check_host_key_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;
  MwSshHostKeyCheck *check = mw_ssh_check_host_key (op->context, op->target, cancellable, &error);

  if (check == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, check, (GDestroyNotify) mw_ssh_host_key_check_free);
}

void
mw_ssh_check_host_key_async (const MwSshContext  *context,
                             const MwSshTarget   *target,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  g_return_if_fail (target != NULL);

  task = op_task_new (mw_ssh_check_host_key_async, context, target, cancellable, callback,
                      user_data, &op);
  g_task_run_in_thread (task, check_host_key_thread);
}

MwSshHostKeyCheck *
mw_ssh_check_host_key_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (op_task_check (result, mw_ssh_check_host_key_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
accept_host_key_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;

  if (mw_ssh_accept_host_key (op->context, op->target, op->key, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_ssh_accept_host_key_async (const MwSshContext  *context,
                              const MwSshTarget   *target,
                              const MwSshHostKey  *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  g_return_if_fail (target != NULL && key != NULL);

  task = op_task_new (mw_ssh_accept_host_key_async, context, target, cancellable, callback,
                      user_data, &op);
  op->key = mw_ssh_host_key_copy (key);
  g_task_run_in_thread (task, accept_host_key_thread);
}

gboolean
mw_ssh_accept_host_key_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (op_task_check (result, mw_ssh_accept_host_key_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
generate_key_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;
  char *path = mw_ssh_generate_key (op->context, op->text, op->secret, cancellable, &error);

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
mw_ssh_generate_key_async (const MwSshContext  *context,
                           const char          *comment,
                           const char          *passphrase,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  task = op_task_new (mw_ssh_generate_key_async, context, NULL, cancellable, callback,
                      user_data, &op);
  op->text = g_strdup (comment);
  op->secret = g_strdup (passphrase);
  g_task_run_in_thread (task, generate_key_thread);
}

char *
mw_ssh_generate_key_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (op_task_check (result, mw_ssh_generate_key_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
copy_key_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;

  if (mw_ssh_copy_key (op->context, op->target, op->text, op->secret, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_ssh_copy_key_async (const MwSshContext  *context,
                       const MwSshTarget   *target,
                       const char          *public_key_file,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  g_return_if_fail (target != NULL && public_key_file != NULL && password != NULL);

  task = op_task_new (mw_ssh_copy_key_async, context, target, cancellable, callback, user_data,
                      &op);
  op->text = g_strdup (public_key_file);
  op->secret = g_strdup (password);
  g_task_run_in_thread (task, copy_key_thread);
}

gboolean
mw_ssh_copy_key_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (op_task_check (result, mw_ssh_copy_key_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_login_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;

  if (mw_ssh_test_login (op->context, op->target, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_ssh_test_login_async (const MwSshContext  *context,
                         const MwSshTarget   *target,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  g_return_if_fail (target != NULL);

  task = op_task_new (mw_ssh_test_login_async, context, target, cancellable, callback,
                      user_data, &op);
  g_task_run_in_thread (task, test_login_thread);
}

gboolean
mw_ssh_test_login_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (op_task_check (result, mw_ssh_test_login_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_libvirt_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;
  MwSshLibvirtInfo *info = mw_ssh_test_libvirt (op->text, cancellable, &error);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) mw_ssh_libvirt_info_free);
}

void
mw_ssh_test_libvirt_async (const char          *uri,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  g_return_if_fail (uri != NULL);

  task = op_task_new (mw_ssh_test_libvirt_async, NULL, NULL, cancellable, callback, user_data,
                      &op);
  op->text = g_strdup (uri);
  g_task_run_in_thread (task, test_libvirt_thread);
}

MwSshLibvirtInfo *
mw_ssh_test_libvirt_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (op_task_check (result, mw_ssh_test_libvirt_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  gboolean works;
  char *explanation;
} P2pResult;

static void
p2p_result_free (gpointer data)
{
  P2pResult *result = data;

  g_free (result->explanation);
  g_free (result);
}

static void
check_p2p_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;
  P2pResult *result = g_new0 (P2pResult, 1);

  result->works = mw_ssh_check_p2p (op->context, op->target, op->text, &result->explanation,
                                    cancellable, &error);
  if (!result->works && error != NULL)
    {
      p2p_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, p2p_result_free);
}

void
mw_ssh_check_p2p_async (const MwSshContext  *context,
                        const MwSshTarget   *source,
                        const char          *dest_host,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  g_return_if_fail (source != NULL && dest_host != NULL);

  task = op_task_new (mw_ssh_check_p2p_async, context, source, cancellable, callback, user_data,
                      &op);
  op->text = g_strdup (dest_host);
  g_task_run_in_thread (task, check_p2p_thread);
}

gboolean
mw_ssh_check_p2p_finish (GAsyncResult  *result,
                         char         **explanation,
                         GError       **error)
{
  P2pResult *p2p;
  gboolean works;

  g_return_val_if_fail (op_task_check (result, mw_ssh_check_p2p_async), FALSE);

  p2p = g_task_propagate_pointer (G_TASK (result), error);
  if (p2p == NULL)
    return FALSE;
  works = p2p->works;
  if (explanation != NULL)
    *explanation = g_steal_pointer (&p2p->explanation);
  p2p_result_free (p2p);
  return works;
}
