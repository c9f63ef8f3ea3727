/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh.c: mw-ssh's plain values: the context, the user@host[:port] target, host keys, and
 * parsing what ssh-keygen prints. Pure; any thread. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mw-ssh-private.h"
#include "mw-text.h"

G_DEFINE_QUARK (mw-ssh-error-quark, mw_ssh_error)

G_DEFINE_BOXED_TYPE (MwSshContext, mw_ssh_context, mw_ssh_context_copy, mw_ssh_context_free)
G_DEFINE_BOXED_TYPE (MwSshTarget, mw_ssh_target, mw_ssh_target_copy, mw_ssh_target_free)
G_DEFINE_BOXED_TYPE (MwSshHostKey, mw_ssh_host_key, mw_ssh_host_key_copy, mw_ssh_host_key_free)


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

gboolean
mw_ssh_make_dir (const char  *dir,
                 GError     **error)
{
  int saved_errno;

  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, _("Could not create %s: %s"), dir,
               g_strerror (saved_errno));
  return FALSE;
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
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                               _("The address cannot contain spaces."));
          return NULL;
        }
      if (!g_unichar_isgraph (c))
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                               _("The address cannot contain invisible or control "
                                 "characters."));
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

MwSshTarget *
mw_ssh_target_new_for_uri (const char  *text,
                           GError     **error)
{
  g_autoptr(MwUri) uri = NULL;
  MwSshTarget *target;

  g_return_val_if_fail (text != NULL, NULL);

  uri = mw_uri_parse (text, error);
  if (uri == NULL)
    return NULL;
  if (uri->host == NULL)
    {
      g_set_error (error, MW_URI_ERROR, MW_URI_ERROR_NEEDS_HOST,
                   _("“%s” names no host to reach over ssh."), text);
      return NULL;
    }

  target = g_new0 (MwSshTarget, 1);
  target->user = g_strdup (uri->user);
  target->host = g_strdup (uri->host);
  target->port = uri->transport == MW_TRANSPORT_SSH && uri->port != 22 ? uri->port : 0;
  return target;
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

/* "SHA256:" and the 43 characters of unpadded base64 that ssh-keygen -E sha256 prints. */
static gboolean
is_sha256_fingerprint (const char *word)
{
  const char *digest = word + strlen ("SHA256:");

  if (!g_str_has_prefix (word, "SHA256:") || strlen (digest) != 43)
    return FALSE;
  for (const char *p = digest; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/')
      return FALSE;
  return TRUE;
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
  g_autofree char *shown = NULL;

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
      || !is_sha256_fingerprint (words[1]))
    goto bad;

  /* "(ED25519)", "(ECDSA-SK)": shown to people and compared, so a plain word. */
  last = words[n - 1];
  last_length = strlen (last);
  if (last_length < 3 || last_length > 34 || last[0] != '(' || last[last_length - 1] != ')')
    goto bad;
  for (gsize i = 1; i < last_length - 1; i++)
    if (!g_ascii_isupper (last[i]) && !g_ascii_isdigit (last[i]) && last[i] != '-')
      goto bad;

  if (bits != NULL)
    *bits = (guint) value;
  if (fingerprint != NULL)
    *fingerprint = g_strdup (words[1]);
  if (type != NULL)
    *type = g_strndup (last + 1, last_length - 2);
  return TRUE;

bad:
  shown = mw_text_for_message (line);
  g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
               _("Unexpected fingerprint line from ssh-keygen: “%s”."), shown);
  return FALSE;
}

gboolean
mw_ssh_parse_keyscan_line (const char  *line,
                           char       **key_type,
                           char       **key_blob,
                           GError     **error)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (line != NULL, FALSE);

  words = g_strsplit (line, " ", -1);
  if (g_strv_length (words) == 3 && words[0][0] != '\0')
    {
      pair = g_strdup_printf ("%s %s", words[1], words[2]);
      if (mw_ssh_validate_public_key (pair, NULL, NULL))
        {
          if (key_type != NULL)
            *key_type = g_strdup (words[1]);
          if (key_blob != NULL)
            *key_blob = g_strdup (words[2]);
          return TRUE;
        }
    }

  shown = mw_text_for_message (line);
  g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID,
               _("Unexpected line from ssh-keyscan: “%s”."), shown);
  return FALSE;
}
