/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ssh-keys.c: mw-ssh's keys without a network: public keys and the authorized_keys
 * command, the peer-to-peer set-up command, known_hosts (accepting, its states, the advice on a
 * changed key) and keyscan of a closed port. ssh-keygen runs for real against temporary files. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "mw-bridge-setup.h"
#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-setup-host.h"
#include "mw-ssh.h"
#include "mw-test-ssh.h"

/* ---- public keys and the authorized_keys command ------------------------------------------ */

static void
test_public_key_validation (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-ssh-XXXXXX", NULL);
  g_autofree char *pub = make_key (dir, "id", "ed25519");
  g_autofree char *text = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *blob = NULL;

  g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
  g_assert_true (mw_ssh_validate_public_key (text, &normalized, NULL));
  g_assert_true (g_str_has_prefix (normalized, "ssh-ed25519 AAAA"));
  g_assert_true (g_str_has_suffix (normalized, " test key"));
  blob = g_strndup (text, strchr (text + 12, ' ') - text);

  {
    const char *bad[] = {
      "", "ssh-ed25519", "ssh-dss AAAAB3NzaC1kc3MAAACBAP", "hello world",
    };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (mw_ssh_validate_public_key (bad[i], NULL, &error));
        g_assert_error (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID);
      }
  }
  {
    g_autofree char *two_lines = g_strdup_printf ("%s\nssh-rsa AAAA", blob);
    g_autofree char *quote = g_strdup_printf ("%s it's; rm -rf ~", blob);
    g_autofree char *subst = g_strdup_printf ("%s $(reboot)", blob);
    g_autofree char *unicode = g_strdup_printf ("%s ключ", blob);
    g_autofree char *wrong_type = g_strdup_printf ("ssh-rsa%s", blob + strlen ("ssh-ed25519"));
    g_autofree char *damaged = g_strdup_printf ("%s;x", blob);
    g_autofree char *command = NULL;
    const char *bad[] = { two_lines, quote, unicode, wrong_type, damaged };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        g_test_message ("%s", bad[i]);
        g_assert_false (mw_ssh_validate_public_key (bad[i], NULL, &error));
        g_assert_error (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID);
        g_assert_null (mw_ssh_build_append_key_command (bad[i], NULL));
      }
    /* A $(…) in the comment is plain text once quoted. */
    g_assert_true (mw_ssh_validate_public_key (subst, NULL, NULL));
    command = mw_ssh_build_append_key_command (subst, NULL);
    g_assert_nonnull (strstr (command, "'"));
  }

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", dir)), ==, 0);
}

static char *
run_remote_command_locally (const char *home,
                            const char *command)
{
  const char *argv[] = { "sh", "-c", command, NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "HOME", home, TRUE);
  g_autofree char *err = NULL;
  g_autofree char *path = g_build_filename (home, ".ssh", "authorized_keys", NULL);
  char *contents = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, &err, &status, NULL));
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
test_append_key_idempotent (void)
{
  g_autofree char *home = g_dir_make_tmp ("mw-home-XXXXXX", NULL);
  g_autofree char *keys = g_build_filename (home, "keys", NULL);
  g_autofree char *pub = NULL;
  g_autofree char *pub2 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *command = NULL;
  g_autofree char *command2 = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *canary = NULL;
  g_autofree char *ssh_dir = g_build_filename (home, ".ssh", NULL);
  g_autofree char *ak = g_build_filename (ssh_dir, "authorized_keys", NULL);
  g_autofree char *hostile = NULL;
  GStatBuf st;

  g_assert_cmpint (g_mkdir (keys, 0700), ==, 0);
  pub = make_key (keys, "a", "ed25519");
  pub2 = make_key (keys, "b", "rsa");
  g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
  g_assert_true (g_file_get_contents (pub2, &text2, NULL, NULL));

  command = mw_ssh_build_append_key_command (text, NULL);
  first = run_remote_command_locally (home, command);
  second = run_remote_command_locally (home, command);
  g_assert_cmpstr (first, ==, second);
  g_assert_true (g_str_has_suffix (first, "\n"));
  g_assert_cmpuint (strlen (first), ==, strlen (text));

  command2 = mw_ssh_build_append_key_command (text2, NULL);
  third = run_remote_command_locally (home, command2);
  g_assert_true (g_str_has_prefix (third, first));
  g_free (third);
  third = run_remote_command_locally (home, command2);
  g_assert_cmpuint (strlen (third), ==, strlen (text) + strlen (text2));

  g_assert_cmpint (g_stat (ssh_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (ak, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Shell syntax in the comment is data: it lands in the file verbatim and runs nothing. */
  canary = g_build_filename (home, "pwned", NULL);
  hostile = g_strdup_printf ("%.*s $(touch %s);touch %s|touch %s&", (int) (strchr (text + 12, ' ') - text),
                             text, canary, canary, canary);
  g_free (command);
  command = mw_ssh_build_append_key_command (hostile, NULL);
  g_free (third);
  third = run_remote_command_locally (home, command);
  g_assert_false (g_file_test (canary, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (third, "$(touch"));

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", home)), ==, 0);
}

/* ---- known_hosts -------------------------------------------------------------------------- */

/* The state check without keyscan: what mw_ssh_check_host_key does after scanning, driven
 * through accept (which looks entries up the same way) and ssh-keygen -F on hashed files. */
static MwSshHostKey *
host_key_from_pub (const char *pub)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) words = NULL;
  MwSshHostKey *key = g_new0 (MwSshHostKey, 1);

  g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
  words = g_strsplit (g_strstrip (text), " ", 3);
  key->key_type = g_strdup (words[0]);
  key->key_blob = g_strdup (words[1]);
  key->type = g_strdup ("ED25519");
  key->fingerprint = g_strdup ("SHA256:test");
  return key;
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* The first half of the peer-to-peer fix, run locally as the source's root shell would. */
static void
test_p2p_setup_command (void)
{
  g_autofree char *home = g_dir_make_tmp ("mw-p2p-XXXXXX", NULL);
  g_autofree char *keys = g_build_filename (home, "keys", NULL);
  g_autofree char *pub = NULL;
  g_autofree char *command = NULL;
  g_autofree char *known = NULL;
  g_autofree char *known_path = g_build_filename (home, ".ssh", "known_hosts", NULL);
  g_autoptr(MwSshHostKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "HOME", home, TRUE);

  g_assert_cmpint (g_mkdir (keys, 0700), ==, 0);
  pub = make_key (keys, "dest", "ed25519");
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
    key = mw_ssh_host_key_new_from_line (text, NULL, &error);
    g_assert_no_error (error);
  }

  g_assert_null (mw_ssh_build_p2p_setup_command ("hostb;reboot", key, NULL));
  command = mw_ssh_build_p2p_setup_command ("hostb", key, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      const char *argv[] = { "sh", "-c", command, NULL };
      g_autofree char *out = NULL;
      int status = -1;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   &out, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      /* It prints root's public key, made on the first round, the same on the second. */
      g_assert_true (mw_ssh_validate_public_key (out, NULL, NULL));
    }

  g_assert_true (g_file_get_contents (known_path, &known, NULL, NULL));
  g_assert_cmpuint (count_lines (known_path), ==, 1);
  g_assert_true (g_str_has_prefix (known, "hostb ssh-ed25519 "));

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", home)), ==, 0);
}

/* A known_hosts whose last line has no newline: the accepted key goes on a line of its own and
 * the line before stays whole. */
static void
test_accept_known_hosts_no_newline (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-ssh-XXXXXX", NULL);
  g_autofree char *ssh_dir = g_build_filename (dir, "dot-ssh", NULL);
  g_autofree char *file = g_build_filename (ssh_dir, "known_hosts", NULL);
  g_autofree char *pub = make_key (dir, "host", "ed25519");
  g_autoptr(MwSshContext) context = mw_ssh_context_new (ssh_dir);
  g_autoptr(MwSshTarget) target = mw_ssh_target_parse ("root@hostb", NULL);
  g_autoptr(MwSshHostKey) key = host_key_from_pub (pub);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *before = "hosta ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTheLineBeforeOurs";

  g_assert_cmpint (g_mkdir_with_parents (ssh_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, before, -1, NULL));
  g_assert_true (mw_ssh_accept_host_key (context, target, key, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==, before);
  g_assert_true (g_str_has_prefix (lines[1], "hostb ssh-ed25519 "));
  g_assert_cmpstr (lines[2], ==, "");

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", dir)), ==, 0);
}

static void
test_accept_known_hosts (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-ssh-XXXXXX", NULL);
  g_autofree char *ssh_dir = g_build_filename (dir, "dot-ssh", NULL);
  g_autofree char *file = g_build_filename (ssh_dir, "known_hosts", NULL);
  g_autofree char *pub = make_key (dir, "host", "ed25519");
  g_autoptr(MwSshContext) context = mw_ssh_context_new (ssh_dir);
  g_autoptr(MwSshTarget) target = mw_ssh_target_parse ("root@10.77.0.3:2222", NULL);
  g_autoptr(MwSshHostKey) key = host_key_from_pub (pub);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  g_assert_true (mw_ssh_accept_host_key (context, target, key, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mw_ssh_accept_host_key (context, target, key, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_lines (file), ==, 1);
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "[10.77.0.3]:2222 ssh-ed25519 "));
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (ssh_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* Hashed (ssh-keygen -H) entries are found too: accepting again adds nothing. */
  {
    const char *argv[] = { "ssh-keygen", "-H", "-f", file, NULL };
    int status = -1;
    g_autofree char *hashed = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH
                                 | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (g_file_get_contents (file, &hashed, NULL, NULL));
    g_assert_true (g_str_has_prefix (hashed, "|1|"));
    g_assert_true (mw_ssh_accept_host_key (context, target, key, NULL, &error));
    g_assert_cmpuint (count_lines (file), ==, 1);
  }

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", dir)), ==, 0);
}

/* NEW / KNOWN_SAME / CHANGED against a temporary .ssh directory, with keys as ssh-keyscan
 * would return them (the scan itself runs for real in the lab test). */
static GPtrArray *
keys_from_pub (const char *pub)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *keys = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_ssh_host_key_free);
  MwSshHostKey *key;

  g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
  key = mw_ssh_host_key_new_from_line (text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key->type, ==, "ED25519");
  g_assert_true (g_str_has_prefix (key->fingerprint, "SHA256:"));
  g_ptr_array_add (keys, key);
  return keys;
}

static void
test_known_hosts_states (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-ssh-XXXXXX", NULL);
  g_autofree char *ssh_dir = g_build_filename (dir, "dot-ssh", NULL);
  g_autofree char *file = g_build_filename (ssh_dir, "known_hosts", NULL);
  g_autofree char *old_pub = make_key (dir, "old", "ed25519");
  g_autofree char *new_pub = make_key (dir, "new", "ed25519");
  g_autoptr(GPtrArray) old_keys = keys_from_pub (old_pub);
  g_autoptr(GPtrArray) new_keys = keys_from_pub (new_pub);
  g_autoptr(MwSshContext) context = mw_ssh_context_new (ssh_dir);
  g_autoptr(MwSshTarget) target = mw_ssh_target_parse ("root@[2001:db8::3]:2222", NULL);
  g_autoptr(MwSshTarget) other_port = mw_ssh_target_parse ("root@2001:db8::3", NULL);
  g_autoptr(MwSshHostKeyCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  MwSshHostKey *old_key = g_ptr_array_index (old_keys, 0);
  MwSshHostKey *new_key = g_ptr_array_index (new_keys, 0);

  /* No file at all: NEW. */
  check = mw_ssh_compare_known_hosts (context, target, old_keys, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (check->state, ==, MW_SSH_HOST_KEY_NEW);
  g_clear_pointer (&check, mw_ssh_host_key_check_free);

  g_assert_true (mw_ssh_accept_host_key (context, target, old_key, NULL, &error));
  check = mw_ssh_compare_known_hosts (context, target, old_keys, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (check->state, ==, MW_SSH_HOST_KEY_KNOWN_SAME);
  g_assert_true (check->known == old_key);
  g_clear_pointer (&check, mw_ssh_host_key_check_free);

  /* The same address on port 22 is another known_hosts name: NEW there. */
  check = mw_ssh_compare_known_hosts (context, other_port, new_keys, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (check->state, ==, MW_SSH_HOST_KEY_NEW);
  g_clear_pointer (&check, mw_ssh_host_key_check_free);

  /* Another key now: CHANGED, an error naming both fingerprints and the line to remove. */
  check = mw_ssh_compare_known_hosts (context, target, new_keys, NULL, &error);
  g_assert_null (check);
  g_assert_error (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "CHANGED"));
  g_assert_nonnull (strstr (error->message, old_key->fingerprint));
  g_assert_nonnull (strstr (error->message, new_key->fingerprint));
  g_assert_nonnull (strstr (error->message, "line 1 of"));
  g_assert_nonnull (strstr (error->message, file));
  /* The command it suggests, run as shown, removes that line (from this file, not ~/.ssh's),
   * and the key is new again. Checked on a copy: the hashed case below needs the line. */
  {
    const char *start = strstr (error->message, "(ssh-keygen ");
    const char *end = start != NULL ? strstr (start, ")") : NULL;
    g_autofree char *command = NULL;
    g_autofree char *saved = NULL;
    g_autoptr(GError) local = NULL;
    MwSshHostKeyCheck *again;

    g_assert_nonnull (end);
    command = g_strndup (start + 1, end - start - 1);
    g_assert_nonnull (strstr (command, " -f "));
    g_assert_true (g_file_get_contents (file, &saved, NULL, NULL));
    g_assert_cmpint (system (g_strdup_printf ("%s > /dev/null 2>&1", command)), ==, 0);
    again = mw_ssh_compare_known_hosts (context, target, new_keys, NULL, &local);
    g_assert_no_error (local);
    g_assert_cmpint (again->state, ==, MW_SSH_HOST_KEY_NEW);
    mw_ssh_host_key_check_free (again);
    g_assert_true (g_file_set_contents (file, saved, -1, NULL));
  }
  g_clear_error (&error);

  /* Still CHANGED once the file is hashed, and the key is never added by a check. */
  {
    const char *argv[] = { "ssh-keygen", "-H", "-f", file, NULL };
    int status = -1;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH
                                 | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    check = mw_ssh_compare_known_hosts (context, target, new_keys, NULL, &error);
    g_assert_null (check);
    g_assert_error (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED);
    g_clear_error (&error);
    g_assert_cmpuint (count_lines (file), ==, 1);
  }

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", dir)), ==, 0);
}

/* The advice names the host's file for the key type shown, not always ed25519's. */
static void
test_compare_advice (void)
{
  MwSshHostKey key = { .type = (char *) "ECDSA", .bits = 256, .fingerprint = (char *) "SHA256:x" };
  g_autofree char *advice = mw_ssh_host_key_compare_advice (&key);
  g_autofree char *other = NULL;
  g_autofree char *odd = NULL;

  g_assert_nonnull (strstr (advice, "(ssh-keygen -l -f /etc/ssh/ssh_host_ecdsa_key.pub)"));
  key.type = (char *) "ED25519";
  other = mw_ssh_host_key_compare_advice (&key);
  g_assert_nonnull (strstr (other, "/etc/ssh/ssh_host_ed25519_key.pub"));
  key.type = (char *) "X;rm";
  odd = mw_ssh_host_key_compare_advice (&key);
  g_assert_null (strstr (odd, "rm"));
}

static void
test_keyscan_closed_port (void)
{
  g_autoptr(MwSshTarget) target = mw_ssh_target_parse ("root@127.0.0.1:1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSshHostKeyCheck) check = mw_ssh_check_host_key (NULL, target, NULL, &error);

  g_assert_null (check);
  g_assert_error (error, MW_SSH_ERROR, MW_SSH_ERROR_NO_HOST_KEYS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();  /* as every program of the project does: SIGPIPE ignored */

  g_test_add_func ("/mw/ssh/accept-known-hosts-no-newline", test_accept_known_hosts_no_newline);
  g_test_add_func ("/mw/ssh/public-key-validation", test_public_key_validation);
  g_test_add_func ("/mw/ssh/append-key-idempotent", test_append_key_idempotent);
  g_test_add_func ("/mw/ssh/accept-known-hosts", test_accept_known_hosts);
  g_test_add_func ("/mw/ssh/p2p-setup-command", test_p2p_setup_command);
  g_test_add_func ("/mw/ssh/known-hosts-states", test_known_hosts_states);
  g_test_add_func ("/mw/ssh/keyscan-closed-port", test_keyscan_closed_port);
  g_test_add_func ("/mw/ssh/compare-advice", test_compare_advice);

  return g_test_run ();
}
