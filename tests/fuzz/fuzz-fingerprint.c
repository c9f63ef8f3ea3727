/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-fingerprint.c: what a remote host's ssh answers become: `ssh-keyscan` lines, `ssh-keygen
 * -l` fingerprint lines, and public key lines (mw-ssh.c, mw-ssh-keys.c).
 *
 * Invariants: an accepted fingerprint is "SHA256:" and 43 base64 characters, its key type a
 * short upper-case word and its size 1–65536 bits; an accepted keyscan line gives a known key
 * type and a blob that is base64 of a key of that type, so nothing else is ever written to
 * known_hosts; an accepted public key normalises to itself and quotes into one shell word. */
#include <string.h>

#include "mw-fuzz.h"
#include "mw-ssh.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  mw_fuzz_init ();
  return 0;
}

static gboolean
is_base64 (const char *text,
           gboolean    padded)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && !(padded && *p == '='))
      return FALSE;
  return *text != '\0';
}

static void
fuzz_fingerprint (const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *type = NULL;
  guint bits = 0;

  if (!mw_ssh_parse_fingerprint (line, &bits, &fingerprint, &type, &error))
    {
      mw_fuzz_check (error->domain == MW_SSH_ERROR);
      mw_fuzz_check_message (error);
      return;
    }
  mw_fuzz_check (bits >= 1 && bits <= 65536);
  mw_fuzz_check (g_str_has_prefix (fingerprint, "SHA256:"));
  mw_fuzz_check (strlen (fingerprint) == strlen ("SHA256:") + 43);
  mw_fuzz_check (is_base64 (fingerprint + strlen ("SHA256:"), FALSE));
  mw_fuzz_check (*type != '\0' && strlen (type) <= 32);
  for (const char *p = type; *p != '\0'; p++)
    mw_fuzz_check (g_ascii_isupper (*p) || g_ascii_isdigit (*p) || *p == '-');
}

static void
fuzz_keyscan (const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_type = NULL;
  g_autofree char *key_blob = NULL;
  g_autofree char *pair = NULL;

  if (!mw_ssh_parse_keyscan_line (line, &key_type, &key_blob, &error))
    {
      mw_fuzz_check (error->domain == MW_SSH_ERROR);
      mw_fuzz_check_message (error);
      return;
    }
  mw_fuzz_check (is_base64 (key_blob, TRUE));
  pair = g_strdup_printf ("%s %s", key_type, key_blob);
  mw_fuzz_check (mw_ssh_validate_public_key (pair, NULL, NULL));
}

static void
fuzz_public_key (const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *again = NULL;
  g_autofree char *command = NULL;

  if (!mw_ssh_validate_public_key (line, &normalized, &error))
    {
      mw_fuzz_check (error->domain == MW_SSH_ERROR);
      mw_fuzz_check_message (error);
      return;
    }
  for (const char *p = normalized; *p != '\0'; p++)
    mw_fuzz_check (!g_ascii_iscntrl (*p) && strchr ("'\"\\`", *p) == NULL);
  mw_fuzz_check (mw_ssh_validate_public_key (normalized, &again, NULL));
  mw_fuzz_check (g_str_equal (normalized, again));
  command = mw_ssh_build_append_key_command (line, &error);
  mw_fuzz_check (command != NULL && strchr (command, '\n') == NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = mw_fuzz_string (data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 64);

  /* The whole answer as one line too: what a caller gets when it forgets to split. */
  fuzz_fingerprint (text);
  fuzz_public_key (text);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      fuzz_fingerprint (lines[i]);
      fuzz_keyscan (lines[i]);
      fuzz_public_key (lines[i]);
    }
  return 0;
}
