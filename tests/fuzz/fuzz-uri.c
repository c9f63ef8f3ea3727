/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-uri.c: the libvirt URI parser (mw-uri.c) and the ssh "user@host:port" parser.
 *
 * Invariants: a URI that parses prints as one that parses to the same fields and prints the
 * same again; nothing that reaches ssh starts with '-' or holds a blank or a control character;
 * a host the Add Connection dialog accepts builds a URI that parses back to it; every refusal is
 * a specific, valid UTF-8 sentence. */
#include <string.h>

#include "mw-fuzz.h"
#include "mw-ssh.h"
#include "mw-uri.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  mw_fuzz_init ();
  return 0;
}

static gboolean
is_plain_word (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (text[0] == '-' || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isgraph (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
check_same (const MwUri *a,
            const MwUri *b)
{
  mw_fuzz_check (a->hypervisor == b->hypervisor);
  mw_fuzz_check (a->transport == b->transport);
  mw_fuzz_check (g_strcmp0 (a->user, b->user) == 0);
  mw_fuzz_check (g_strcmp0 (a->host, b->host) == 0);
  mw_fuzz_check (a->port == b->port);
  mw_fuzz_check (g_strcmp0 (a->path, b->path) == 0);
  mw_fuzz_check (g_strcmp0 (a->query, b->query) == 0);
}

static void
fuzz_parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwUri) uri = mw_uri_parse (text, &error);
  g_autoptr(MwUri) again = NULL;
  g_autoptr(MwUri) copy = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *reprinted = NULL;
  g_autofree char *title = NULL;

  title = mw_uri_get_title (text);
  mw_fuzz_check (title != NULL && g_utf8_validate (title, -1, NULL));

  if (uri == NULL)
    {
      mw_fuzz_check (error->domain == MW_URI_ERROR);
      mw_fuzz_check_message (error);
      return;
    }

  mw_fuzz_check (is_plain_word (uri->host) && is_plain_word (uri->user));
  mw_fuzz_check (uri->port <= G_MAXUINT16);
  mw_fuzz_check ((uri->host == NULL) == (uri->transport == MW_TRANSPORT_LOCAL));
  mw_fuzz_check (uri->path != NULL && g_utf8_validate (uri->path, -1, NULL));

  printed = mw_uri_to_string (uri);
  mw_fuzz_check (printed != NULL && g_utf8_validate (printed, -1, NULL));
  mw_fuzz_check (strcspn (printed, " \t\r\n#") == strlen (printed));
  again = mw_uri_parse (printed, &error);
  if (again == NULL)
    mw_fuzz_fail ("“%s” printed as “%s”, which does not parse: %s", text, printed,
                  error->message);
  check_same (uri, again);
  reprinted = mw_uri_to_string (again);
  mw_fuzz_check (g_str_equal (printed, reprinted));

  copy = mw_uri_copy (uri);
  check_same (uri, copy);
  mw_fuzz_check (mw_uri_is_remote (printed) == (uri->transport != MW_TRANSPORT_LOCAL));
}

/* What the Add Connection dialog does with its host field. */
static void
fuzz_host (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwUri) parsed = NULL;
  g_autofree char *built = NULL;

  if (!mw_uri_validate_host (text, &error))
    {
      mw_fuzz_check_message (error);
      return;
    }
  built = mw_uri_build (MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "root", text, 2222, &error);
  if (built == NULL)
    mw_fuzz_fail ("host “%s” validates but does not build: %s", text, error->message);
  parsed = mw_uri_parse (built, &error);
  if (parsed == NULL)
    mw_fuzz_fail ("host “%s” built “%s”, which does not parse: %s", text, built,
                  error->message);
  mw_fuzz_check (is_plain_word (parsed->host));
  mw_fuzz_check (parsed->port == 2222 && g_strcmp0 (parsed->user, "root") == 0);
}

static void
fuzz_user (const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!mw_uri_validate_user (text, &error))
    mw_fuzz_check_message (error);
  else
    mw_fuzz_check (*text == '\0' || is_plain_word (text));
}

static void
fuzz_port (const char *text)
{
  g_autoptr(GError) error = NULL;
  guint port = 99;

  if (!mw_uri_parse_port (text, &port, &error))
    mw_fuzz_check_message (error);
  else
    mw_fuzz_check (port <= G_MAXUINT16);
}

/* The Add Remote Host field and `setup-bridge --ssh`. */
static void
fuzz_target (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSshTarget) target = mw_ssh_target_parse (text, &error);
  g_autofree char *known = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(MwSshTarget) again = NULL;

  if (target == NULL)
    {
      mw_fuzz_check_message (error);
      return;
    }
  mw_fuzz_check (is_plain_word (target->host) && is_plain_word (target->user));
  mw_fuzz_check (target->port <= G_MAXUINT16);
  known = mw_ssh_target_get_known_name (target);
  shown = mw_ssh_target_to_string (target);
  mw_fuzz_check (is_plain_word (known) && is_plain_word (shown));
  again = mw_ssh_target_parse (shown, &error);
  if (again == NULL)
    mw_fuzz_fail ("target “%s” shown as “%s”, which does not parse: %s", text, shown,
             error->message);
  mw_fuzz_check (g_strcmp0 (target->host, again->host) == 0);
  mw_fuzz_check (g_strcmp0 (target->user, again->user) == 0);
  mw_fuzz_check (target->port == again->port);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = mw_fuzz_string (data, size);

  fuzz_parse (text);
  fuzz_host (text);
  fuzz_user (text);
  fuzz_port (text);
  fuzz_target (text);
  return 0;
}
