/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-uri.c: building, parsing and validating libvirt connection URIs.
 *
 * The grammar accepted is the part of libvirt's that MigWizard offers:
 *   driver[+transport]://[user@][host][:port]/path[?query]
 * with host an RFC 1123 name, an IPv4 address or a bracketed IPv6 address. Everything here is
 * pure string work, so it may run on any thread. Titles and the demo nodes are in
 * mw-uri-title.c.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "mw-text.h"
#include "mw-uri.h"

G_DEFINE_QUARK (mw-uri-error-quark, mw_uri_error)

G_DEFINE_BOXED_TYPE (MwUri, mw_uri, mw_uri_copy, mw_uri_free)

#define MAX_HOST_LENGTH 253
#define MAX_LABEL_LENGTH 63
#define MAX_USER_LENGTH 255

MwUri *
mw_uri_copy (const MwUri *self)
{
  MwUri *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (MwUri, 1);
  copy->hypervisor = self->hypervisor;
  copy->transport = self->transport;
  copy->user = g_strdup (self->user);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->path = g_strdup (self->path);
  copy->query = g_strdup (self->query);

  return copy;
}

void
mw_uri_free (MwUri *self)
{
  if (self == NULL)
    return;

  g_free (self->user);
  g_free (self->host);
  g_free (self->path);
  g_free (self->query);
  g_free (self);
}

static const char *
hypervisor_to_driver (MwHypervisor hypervisor)
{
  switch (hypervisor)
    {
    case MW_HYPERVISOR_QEMU:
    case MW_HYPERVISOR_QEMU_SESSION:
      return "qemu";
    case MW_HYPERVISOR_XEN:
      return "xen";
    case MW_HYPERVISOR_LXC:
      return "lxc";
    case MW_HYPERVISOR_TEST:
      return "test";
    default:
      return NULL;
    }
}

static const char *
hypervisor_default_path (MwHypervisor hypervisor)
{
  switch (hypervisor)
    {
    case MW_HYPERVISOR_QEMU:
      return "/system";
    case MW_HYPERVISOR_QEMU_SESSION:
      return "/session";
    case MW_HYPERVISOR_XEN:
    case MW_HYPERVISOR_LXC:
      return "/";
    case MW_HYPERVISOR_TEST:
      return "/default";
    default:
      return NULL;
    }
}

static const char *
transport_to_suffix (MwTransport transport)
{
  switch (transport)
    {
    case MW_TRANSPORT_LOCAL:
      return "";
    case MW_TRANSPORT_SSH:
      return "+ssh";
    case MW_TRANSPORT_TLS:
      return "+tls";
    case MW_TRANSPORT_TCP:
      return "+tcp";
    default:
      return NULL;
    }
}

static void
set_needs_host_error (GError      **error,
                      MwTransport   transport)
{
  switch (transport)
    {
    case MW_TRANSPORT_SSH:
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_NEEDS_HOST,
                           _("An SSH connection needs a host."));
      break;
    case MW_TRANSPORT_TLS:
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_NEEDS_HOST,
                           _("A TLS connection needs a host."));
      break;
    case MW_TRANSPORT_TCP:
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_NEEDS_HOST,
                           _("A TCP connection needs a host."));
      break;
    case MW_TRANSPORT_LOCAL:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_ascii_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;

  for (; *text != '\0'; text++)
    {
      if (!g_ascii_isdigit (*text))
        return FALSE;
    }

  return TRUE;
}

/* Valid UTF-8 without control characters: the query is kept as it is, and all of it is shown. */
static gboolean
is_plain_text (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Every character shows ink: no blank, no invisible format character. Needs valid UTF-8. */
static gboolean
is_visible (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isgraph (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* RFC 1123: labels of letters, digits and '-', not starting or ending with '-', 1–63 long. */
static gboolean
is_dns_name (const char *ascii)
{
  g_auto(GStrv) labels = NULL;
  gsize length = strlen (ascii);

  /* One trailing dot (a fully qualified name) is allowed. */
  if (length > 0 && ascii[length - 1] == '.')
    length--;

  if (length == 0 || length > MAX_HOST_LENGTH)
    return FALSE;

  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      gsize label_length = strlen (label);

      if (label_length == 0)
        {
          /* Only the empty label after a trailing dot. */
          if (labels[i + 1] == NULL && i > 0)
            continue;
          return FALSE;
        }

      if (label_length > MAX_LABEL_LENGTH || label[0] == '-' || label[label_length - 1] == '-')
        return FALSE;

      for (const char *p = label; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '-')
            return FALSE;
        }
    }

  return TRUE;
}

/* The name or address as it goes into a URI: ASCII (IDN names in their xn-- form), brackets
 * removed. NULL with an error for anything else. */
static char *
normalize_host (const char  *host,
                GError     **error)
{
  g_autofree char *bare = NULL;
  g_autofree char *ascii = NULL;
  gsize length;

  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY,
                           _("Enter a host name or address."));
      return NULL;
    }

  /* Refused first and on its own: a host starting with '-' would reach ssh as an option. */
  if (host[0] == '-')
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                           _("A host name cannot start with “-”."));
      return NULL;
    }

  /* Brackets, as pasted from a URI, are accepted around an IPv6 address and nothing else. */
  length = strlen (host);
  if (host[0] == '[' && length > 2 && host[length - 1] == ']')
    bare = g_strndup (host + 1, length - 2);
  else
    bare = g_strdup (host);

  if (bare[0] == '\0' || (host[0] == '[' && strchr (bare, ':') == NULL))
    ;
  else if (strchr (bare, ':') != NULL)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (bare);

      if (address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
        return g_steal_pointer (&bare);
    }
  else if (strspn (bare, "0123456789.") == strlen (bare))
    {
      /* Looks like IPv4: must be a dotted quad, not a numeric "name". */
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (bare);

      if (address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
        return g_steal_pointer (&bare);
    }
  else if (is_plain_text (bare) && is_visible (bare))
    {
      /* Only visible characters: IDNA mapping drops a zero-width space, so "host\u200bb"
       * would reach hostb while showing something else. */
      ascii = g_hostname_to_ascii (bare);
      if (ascii != NULL && is_dns_name (ascii))
        return g_steal_pointer (&ascii);
    }

  mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                        _("“%s” is not a valid host name or address."), host);
  return NULL;
}

gboolean
mw_uri_validate_host (const char  *host,
                      GError     **error)
{
  g_autofree char *normalized = normalize_host (host, error);

  return normalized != NULL;
}

/* A user name goes to ssh as "-l user" and into a URI, so only letters, digits, '.', '_' and a
 * '-' that does not lead are allowed. An empty or NULL user means "the default" and is valid. */
gboolean
mw_uri_validate_user (const char  *user,
                      GError     **error)
{
  if (user == NULL || *user == '\0')
    return TRUE;

  if (!g_utf8_validate (user, -1, NULL))
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_USER,
                           _("The user name is not valid text."));
      return FALSE;
    }

  if (user[0] == '-')
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_USER,
                           _("A user name cannot start with “-”."));
      return FALSE;
    }

  if (strlen (user) > MAX_USER_LENGTH)
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_USER,
                           _("The user name is too long."));
      return FALSE;
    }

  for (const char *p = user; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char buffer[8] = { 0 };

      if (g_unichar_isalnum (c) || c == '.' || c == '_' || c == '-')
        continue;

      if (g_unichar_isspace (c))
        g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_USER,
                             _("A user name cannot contain spaces."));
      else if (g_unichar_iscntrl (c) || !g_unichar_isprint (c))
        g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_USER,
                             _("A user name cannot contain control characters."));
      else
        {
          g_unichar_to_utf8 (c, buffer);
          g_set_error (error, MW_URI_ERROR, MW_URI_ERROR_USER,
                       _("A user name cannot contain “%s”."), buffer);
        }
      return FALSE;
    }

  return TRUE;
}

gboolean
mw_uri_parse_port (const char  *text,
                   guint       *port,
                   GError     **error)
{
  g_autofree char *stripped = NULL;
  guint64 value = 0;

  g_return_val_if_fail (port != NULL, FALSE);

  *port = 0;
  if (text == NULL)
    return TRUE;

  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return TRUE;

  /* g_ascii_string_to_unsigned alone would take "+22"; a port field wants digits only. */
  if (!is_ascii_digits (stripped)
      || !g_ascii_string_to_unsigned (stripped, 10, 1, G_MAXUINT16, &value, NULL))
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_PORT,
                           _("The port must be a number from 1 to 65535."));
      return FALSE;
    }

  *port = (guint) value;
  return TRUE;
}

static char *
format_uri (MwHypervisor  hypervisor,
            MwTransport   transport,
            const char   *user,
            const char   *host,
            guint         port,
            const char   *path,
            const char   *query)
{
  GString *uri = g_string_new (hypervisor_to_driver (hypervisor));

  g_string_append (uri, transport_to_suffix (transport));
  g_string_append (uri, "://");

  if (user != NULL)
    {
      g_string_append_uri_escaped (uri, user, NULL, FALSE);
      g_string_append_c (uri, '@');
    }

  if (host != NULL)
    {
      if (strchr (host, ':') != NULL)
        g_string_append_printf (uri, "[%s]", host);
      else
        g_string_append (uri, host);
    }

  if (port != 0)
    g_string_append_printf (uri, ":%u", port);

  g_string_append_uri_escaped (uri, path, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH, FALSE);

  if (query != NULL)
    {
      g_string_append_c (uri, '?');
      g_string_append (uri, query);
    }

  return g_string_free (uri, FALSE);
}

char *
mw_uri_build (MwHypervisor   hypervisor,
              MwTransport    transport,
              const char    *user,
              const char    *host,
              guint          port,
              GError       **error)
{
  g_autofree char *normalized_host = NULL;

  if (hypervisor_to_driver (hypervisor) == NULL)
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SCHEME,
                           _("This hypervisor is not supported."));
      return NULL;
    }

  if (transport_to_suffix (transport) == NULL)
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SCHEME,
                           _("This connection type is not supported."));
      return NULL;
    }

  if (user != NULL && *user == '\0')
    user = NULL;
  if (host != NULL && *host == '\0')
    host = NULL;

  if (transport == MW_TRANSPORT_LOCAL)
    {
      if (host != NULL)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_LOCAL_HOST,
                               _("A local connection does not take a host."));
          return NULL;
        }
      if (user != NULL)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_LOCAL_HOST,
                               _("A local connection does not take a user name."));
          return NULL;
        }
      if (port != 0)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_LOCAL_HOST,
                               _("A local connection does not take a port."));
          return NULL;
        }
    }
  else
    {
      if (host == NULL)
        {
          set_needs_host_error (error, transport);
          return NULL;
        }

      normalized_host = normalize_host (host, error);
      if (normalized_host == NULL)
        return NULL;

      if (!mw_uri_validate_user (user, error))
        return NULL;

      if (port > G_MAXUINT16)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_PORT,
                               _("The port must be a number from 1 to 65535."));
          return NULL;
        }
    }

  return format_uri (hypervisor, transport, user, normalized_host, port,
                     hypervisor_default_path (hypervisor), NULL);
}

/* Splits "[user@]host[:port]" and validates each part. */
static gboolean
parse_authority (const char  *authority,
                 MwUri       *uri,
                 GError     **error)
{
  const char *at = strchr (authority, '@');
  const char *hostport = authority;
  const char *port_text = NULL;
  g_autofree char *host = NULL;

  if (at != NULL)
    {
      g_autofree char *raw_user = g_strndup (authority, at - authority);

      uri->user = g_uri_unescape_string (raw_user, NULL);
      if (uri->user == NULL || !mw_uri_validate_user (uri->user, error))
        {
          if (uri->user == NULL)
            mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_USER,
                                  _("“%s” is not a valid user name."), raw_user);
          return FALSE;
        }
      if (*uri->user == '\0')
        g_clear_pointer (&uri->user, g_free);
      hostport = at + 1;
    }

  if (hostport[0] == '[')
    {
      const char *close = strchr (hostport, ']');

      if (close == NULL)
        {
          mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                                _("“%s” is not a valid host name or address."), hostport);
          return FALSE;
        }

      host = g_strndup (hostport + 1, close - hostport - 1);
      if (strchr (host, ':') == NULL)
        {
          /* Brackets are for IPv6 literals only. */
          mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                                _("“%s” is not a valid host name or address."), host);
          return FALSE;
        }

      if (close[1] == ':')
        port_text = close + 2;
      else if (close[1] != '\0')
        {
          mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                                _("“%s” is not a valid host and port."), hostport);
          return FALSE;
        }
    }
  else
    {
      const char *colon = strchr (hostport, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                               _("An IPv6 address in a URI must be in square brackets."));
          return FALSE;
        }

      if (colon != NULL)
        {
          host = g_strndup (hostport, colon - hostport);
          port_text = colon + 1;
        }
      else
        host = g_strdup (hostport);
    }

  if (port_text != NULL)
    {
      /* "host:" with nothing after the colon is a typo, not "the default port". */
      if (*port_text == '\0' || !mw_uri_parse_port (port_text, &uri->port, NULL))
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_PORT,
                               _("The port must be a number from 1 to 65535."));
          return FALSE;
        }
    }

  if (*host != '\0')
    {
      g_autofree char *unescaped = g_uri_unescape_string (host, NULL);

      if (unescaped == NULL)
        {
          mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_HOST,
                                _("“%s” is not a valid host name or address."), host);
          return FALSE;
        }

      uri->host = normalize_host (unescaped, error);
      if (uri->host == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_scheme (const char  *scheme,
              MwUri       *uri,
              gboolean    *explicit_local,
              GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (scheme, "+", 2);
  const char *driver = parts[0];
  const char *transport = parts[1];

  *explicit_local = FALSE;

  if (g_str_equal (driver, "qemu"))
    uri->hypervisor = MW_HYPERVISOR_QEMU;
  else if (g_str_equal (driver, "xen"))
    uri->hypervisor = MW_HYPERVISOR_XEN;
  else if (g_str_equal (driver, "lxc"))
    uri->hypervisor = MW_HYPERVISOR_LXC;
  else if (g_str_equal (driver, "test"))
    uri->hypervisor = MW_HYPERVISOR_TEST;
  else
    {
      mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_SCHEME,
                            _("“%s” is not a hypervisor MigWizard supports."), driver);
      return FALSE;
    }

  /* Without a transport libvirt uses TLS for a remote host and a local socket otherwise; the
   * caller decides once it knows whether there is a host. */
  if (transport == NULL)
    uri->transport = MW_TRANSPORT_LOCAL;
  else if (g_str_equal (transport, "ssh"))
    uri->transport = MW_TRANSPORT_SSH;
  else if (g_str_equal (transport, "tls"))
    uri->transport = MW_TRANSPORT_TLS;
  else if (g_str_equal (transport, "tcp"))
    uri->transport = MW_TRANSPORT_TCP;
  else if (g_str_equal (transport, "unix"))
    {
      uri->transport = MW_TRANSPORT_LOCAL;
      *explicit_local = TRUE;
    }
  else
    {
      mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_SCHEME,
                            _("“%s” is not a connection type MigWizard supports."), transport);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_path (const char  *raw_path,
            MwUri       *uri,
            GError     **error)
{
  g_autofree char *path = g_uri_unescape_string (raw_path, NULL);
  gboolean plain = path != NULL && g_utf8_validate (path, -1, NULL);

  /* %-escapes may spell anything: the path must still be text without control characters. */
  for (const char *p = path; plain && *p != '\0'; p++)
    plain = !g_ascii_iscntrl (*p);
  if (!plain)
    {
      mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                            _("“%s” is not a valid path."), raw_path);
      return FALSE;
    }

  switch (uri->hypervisor)
    {
    case MW_HYPERVISOR_QEMU:
    case MW_HYPERVISOR_QEMU_SESSION:
      if (g_str_equal (path, "/system"))
        uri->hypervisor = MW_HYPERVISOR_QEMU;
      else if (g_str_equal (path, "/session"))
        uri->hypervisor = MW_HYPERVISOR_QEMU_SESSION;
      else
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                               _("A QEMU connection ends in /system or /session."));
          return FALSE;
        }
      break;

    case MW_HYPERVISOR_XEN:
    case MW_HYPERVISOR_LXC:
      if (*path == '\0')
        {
          g_free (path);
          path = g_strdup ("/");
        }
      else if (!g_str_equal (path, "/") && !g_str_equal (path, "/system"))
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                               _("A Xen or LXC connection ends in / or /system."));
          return FALSE;
        }
      break;

    case MW_HYPERVISOR_TEST:
      if (path[0] != '/' || path[1] == '\0')
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                               _("A test connection ends in /default or the path of a node file."));
          return FALSE;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  uri->path = g_steal_pointer (&path);
  return TRUE;
}

/* Whether libvirt would read the parameter name=value as turning verification off or as a
 * program to run; sets error when it would. */
static gboolean
check_parameter (const char  *raw,
                 const char  *name,
                 const char  *value,
                 GError     **error)
{
  if ((g_ascii_strcasecmp (name, "no_verify") == 0 && g_strcmp0 (value, "0") != 0)
      || (g_ascii_strcasecmp (name, "known_hosts_verify") == 0
          && g_ascii_strcasecmp (value, "normal") != 0))
    {
      g_set_error (error, MW_URI_ERROR, MW_URI_ERROR_UNSAFE,
                   /* Translators: %s is the URI's parameter, such as “no_verify=1” */
                   _("The URI’s “%s” turns off the check of the host’s identity. MigWizard does "
                     "not connect that way: remove it from the URI."), raw);
      return FALSE;
    }
  if (g_ascii_strcasecmp (name, "command") == 0 || g_ascii_strcasecmp (name, "netcat") == 0)
    {
      g_set_error (error, MW_URI_ERROR, MW_URI_ERROR_UNSAFE,
                   /* Translators: %s is the URI's parameter, such as “command=/bin/sh” */
                   _("The URI’s “%s” makes libvirt run a program of its own choosing. MigWizard "
                     "does not connect that way: remove it from the URI."), raw);
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_uri_check_query (const char  *text,
                    GError     **error)
{
  const char *query;
  g_auto(GStrv) parameters = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  query = text != NULL ? strchr (text, '?') : NULL;
  if (query == NULL)
    return TRUE;

  /* libvirt splits the query at both & and ; and unescapes names and values. */
  parameters = g_strsplit_set (query + 1, "&;", -1);
  for (guint i = 0; parameters[i] != NULL; i++)
    {
      const char *raw = parameters[i];
      const char *equals = strchr (raw, '=');
      g_autofree char *raw_name = equals != NULL ? g_strndup (raw, equals - raw) : g_strdup (raw);
      g_autofree char *name = g_uri_unescape_string (raw_name, NULL);
      g_autofree char *value = g_uri_unescape_string (equals != NULL ? equals + 1 : "", NULL);

      if (*raw == '\0')
        continue;
      if (name == NULL || value == NULL)
        {
          g_set_error (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                       _("The URI’s “%s” is not valid URI text."), raw);
          return FALSE;
        }
      if (!check_parameter (raw, g_strstrip (name), g_strstrip (value), error))
        return FALSE;
    }
  return TRUE;
}

MwUri *
mw_uri_parse (const char  *text,
              GError     **error)
{
  g_autoptr(MwUri) uri = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *path = NULL;
  const char *separator;
  const char *rest;
  const char *path_start;
  const char *query;
  gboolean explicit_local = FALSE;

  if (text == NULL || *(stripped = g_strstrip (g_strdup (text))) == '\0')
    {
      g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY,
                           _("Enter a connection URI such as qemu:///system."));
      return NULL;
    }

  separator = strstr (stripped, "://");
  if (separator == NULL || separator == stripped || !is_plain_text (stripped)
      || strcspn (stripped, " \t\n\r#") != strlen (stripped))
    {
      mw_set_error_quoting (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX,
                            _("“%s” is not a connection URI such as qemu:///system."),
                            stripped);
      return NULL;
    }

  if (!mw_uri_check_query (stripped, error))
    return NULL;

  uri = g_new0 (MwUri, 1);
  scheme = g_ascii_strdown (stripped, separator - stripped);
  if (!parse_scheme (scheme, uri, &explicit_local, error))
    return NULL;

  rest = separator + 3;
  path_start = rest + strcspn (rest, "/?");
  authority = g_strndup (rest, path_start - rest);

  query = strchr (path_start, '?');
  if (query != NULL)
    {
      path = g_strndup (path_start, query - path_start);
      if (query[1] != '\0')
        uri->query = g_strdup (query + 1);
    }
  else
    path = g_strdup (path_start);

  if (!parse_authority (authority, uri, error))
    return NULL;

  if (uri->host == NULL)
    {
      if (uri->transport != MW_TRANSPORT_LOCAL)
        {
          set_needs_host_error (error, uri->transport);
          return NULL;
        }
      if (uri->user != NULL || uri->port != 0)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_LOCAL_HOST,
                               _("A local connection does not take a user name or port."));
          return NULL;
        }
    }
  else if (uri->transport == MW_TRANSPORT_LOCAL)
    {
      if (explicit_local)
        {
          g_set_error_literal (error, MW_URI_ERROR, MW_URI_ERROR_LOCAL_HOST,
                               _("A local connection does not take a host."));
          return NULL;
        }
      uri->transport = MW_TRANSPORT_TLS;
    }

  if (!parse_path (path, uri, error))
    return NULL;

  return g_steal_pointer (&uri);
}

char *
mw_uri_to_string (const MwUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return format_uri (self->hypervisor, self->transport, self->user, self->host, self->port,
                     self->path != NULL ? self->path : hypervisor_default_path (self->hypervisor),
                     self->query);
}

gboolean
mw_uri_is_remote (const char *text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (text, NULL);

  return uri != NULL && uri->transport != MW_TRANSPORT_LOCAL;
}
