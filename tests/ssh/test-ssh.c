/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ssh.c: mw-ssh without a network: user@host[:port], fingerprints and keyscan lines, one
 * ssh argv per connection, askpass and key generation. ssh-keygen and the askpass helper run
 * for real. Public keys, authorized_keys and known_hosts: test-ssh-keys.c. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "mw-bridge-setup.h"
#include "mw-libvirt.h"
#include "mw-setup-host.h"
#include "mw-ssh.h"
#include "mw-test-ssh.h"

/* ---- user@host[:port] --------------------------------------------------------------------- */

static void
test_parse_good (void)
{
  static const struct { const char *text, *user, *host; guint port; const char *known; } cases[] = {
    { "root@hostb", "root", "hostb", 0, "hostb" },
    { "hostb", NULL, "hostb", 0, "hostb" },
    { "  admin@10.77.0.3:2222  ", "admin", "10.77.0.3", 2222, "[10.77.0.3]:2222" },
    { "root@[fe80::1]:2200", "root", "fe80::1", 2200, "[fe80::1]:2200" },
    { "root@[2001:db8::5]", "root", "2001:db8::5", 0, "2001:db8::5" },
    { "2001:db8::5", NULL, "2001:db8::5", 0, "2001:db8::5" },
    { "ops@host.example.org:22", "ops", "host.example.org", 0, "host.example.org" },
    { "ops@bücher.example", "ops", "xn--bcher-kva.example", 0, "xn--bcher-kva.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwSshTarget) target = mw_ssh_target_parse (cases[i].text, &error);
      g_autofree char *known = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_no_error (error);
      g_assert_cmpstr (target->user, ==, cases[i].user);
      g_assert_cmpstr (target->host, ==, cases[i].host);
      g_assert_cmpuint (target->port, ==, cases[i].port);
      known = mw_ssh_target_get_known_name (target);
      g_assert_cmpstr (known, ==, cases[i].known);
    }
}

static void
test_parse_bad (void)
{
  static const char * const bad[] = {
    "", "   ", "root@", "@hostb", "root@host b", "ro ot@hostb", "root@hostb;reboot",
    "root@$(reboot)", "root@`id`", "root@hostb|nc", "root@host&", "root@-oProxyCommand=x",
    "-oProxyCommand=x@hostb", "ro;ot@hostb", "r'oot@hostb", "root@hostb:0", "root@hostb:65536",
    "root@hostb:22x", "root@hostb:", "root@[fe80::1", "root@[fe80::1]x", "root@[hostb]",
    "root@host\nb", "root@host\tb", "root@host\u00a0b", "root@host\u200bb", "root@host\u2028b", "r\u200boot@hostb",
    "root@hostb:２２", "root@1.2.3.999",
    "root@fe80::1:22:zz", "root@host_b",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwSshTarget) target = mw_ssh_target_parse (bad[i], &error);

      g_test_message ("refused? %s", bad[i]);
      if (target != NULL)
        g_error ("accepted “%s” as user=%s host=%s port=%u", bad[i], target->user,
                 target->host, target->port);
      g_assert_error (error, MW_URI_ERROR, error->code);
      g_assert_nonnull (error->message);
    }
}

static void
test_target_uri (void)
{
  g_autoptr(MwSshTarget) target = mw_ssh_target_parse ("root@[fe80::1]:2222", NULL);
  g_autoptr(MwSshTarget) plain = mw_ssh_target_parse ("root@hostb", NULL);
  g_autofree char *uri = mw_ssh_target_to_uri (target, MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, NULL);
  g_autofree char *session = mw_ssh_target_to_uri (plain, MW_HYPERVISOR_QEMU_SESSION,
                                                   MW_TRANSPORT_SSH, NULL);
  g_autofree char *tls = mw_ssh_target_to_uri (target, MW_HYPERVISOR_QEMU, MW_TRANSPORT_TLS, NULL);
  g_autofree char *text = mw_ssh_target_to_string (target);

  g_assert_cmpstr (uri, ==, "qemu+ssh://root@[fe80::1]:2222/system");
  g_assert_cmpstr (session, ==, "qemu+ssh://root@hostb/session");
  g_assert_cmpstr (tls, ==, "qemu+tls://root@[fe80::1]/system");
  g_assert_cmpstr (text, ==, "root@[fe80::1]:2222");
}

/* ---- fingerprints ------------------------------------------------------------------------- */

static void
test_parse_fingerprint (void)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *type = NULL;
  g_autoptr(GError) error = NULL;
  guint bits = 0;

  g_assert_true (mw_ssh_parse_fingerprint (
      "256 SHA256:aJhoI+/7Mhi443o5MaX2G/ygWMdv/5ENIHLdVGdnyV4 host1 (ED25519)\n",
      &bits, &fingerprint, &type, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bits, ==, 256);
  g_assert_cmpstr (fingerprint, ==, "SHA256:aJhoI+/7Mhi443o5MaX2G/ygWMdv/5ENIHLdVGdnyV4");
  g_assert_cmpstr (type, ==, "ED25519");
  g_clear_pointer (&fingerprint, g_free);
  g_clear_pointer (&type, g_free);

  /* No comment ("no comment" is what ssh-keygen prints), and a comment with spaces. */
  g_assert_true (mw_ssh_parse_fingerprint ("3072 SHA256:9J2J8xPZ2MB8o4EjZB1T9ZkN4i8xM3/+Yl4U1Y0nZ2s"
                                           " no comment (RSA)", &bits,
                                           &fingerprint, &type, NULL));
  g_assert_cmpuint (bits, ==, 3072);
  g_assert_cmpstr (type, ==, "RSA");
  g_clear_pointer (&fingerprint, g_free);
  g_clear_pointer (&type, g_free);

  /* Only the shape ssh-keygen prints: "SHA256:" and 43 base64 characters, a plain type. */
  for (guint i = 0; i < 8; i++)
    {
      static const char * const bad[] = {
        "", "256 MD5:aa:bb host (ED25519)", "x SHA256:abc host (ED25519)",
        "256 SHA256:abc host ED25519", "256 SHA256: host (ED25519)",
        "256 SHA256:abc host (ED25519)",
        "256 SHA256:$(touch /tmp/PWNED)aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa host (ED25519)",
        "256 SHA256:aJhoI+/7Mhi443o5MaX2G/ygWMdv/5ENIHLdVGdnyV4 host (ED25519;id)",
      };
      g_autoptr(GError) bad_error = NULL;

      g_assert_false (mw_ssh_parse_fingerprint (bad[i], NULL, NULL, NULL, &bad_error));
      g_assert_error (bad_error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID);
    }
}

static char *
run_keygen_fingerprint (const char *pub)
{
  const char *argv[] = { "ssh-keygen", "-l", "-E", "sha256", "-f", pub, NULL };
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* ssh-keyscan's answer is remote input: only a well-formed key of a known type passes. */
static void
test_parse_keyscan_line (void)
{
  static const char *const bad[] = {
    "", "# hosta:22 SSH-2.0-OpenSSH_9.2", "hosta ssh-ed25519",
    "hosta ssh-ed25519 AAAA$(id)", "hosta ssh-dss AAAAB3NzaC1kc3MAAACBAP",
    "hosta ecdsa-sha2-nistp256 "
    "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "hosta ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl extra",
    "\xff\xfe ssh-ed25519 \x1b[31m",
  };
  g_autofree char *type = NULL;
  g_autofree char *blob = NULL;

  g_assert_true (mw_ssh_parse_keyscan_line (
      "hosta ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
      &type, &blob, NULL));
  g_assert_cmpstr (type, ==, "ssh-ed25519");
  g_assert_cmpstr (blob, ==,
                   "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (mw_ssh_parse_keyscan_line (bad[i], NULL, NULL, &error));
      g_assert_error (error, MW_SSH_ERROR, MW_SSH_ERROR_INVALID);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strchr (error->message, '\x1b'));
    }
}

static void
test_fingerprint_real (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-ssh-XXXXXX", NULL);
  const char *types[] = { "ed25519", "ecdsa", "rsa" };
  const char *names[] = { "ED25519", "ECDSA", "RSA" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *pub = make_key (dir, types[i], types[i]);
      g_autofree char *out = run_keygen_fingerprint (pub);
      g_autofree char *fingerprint = NULL;
      g_autofree char *type = NULL;
      guint bits = 0;

      g_assert_true (mw_ssh_parse_fingerprint (out, &bits, &fingerprint, &type, NULL));
      g_assert_cmpstr (type, ==, names[i]);
      g_assert_true (g_str_has_prefix (fingerprint, "SHA256:"));
      g_assert_cmpuint (strlen (fingerprint), ==, strlen ("SHA256:") + 43);
      g_assert_cmpuint (bits, >=, 256);
    }

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", dir)), ==, 0);
}

/* ---- one ssh argv for a connection's host --------------------------------------------------- */

/* The argv as a list of lines, for comparing. */
static char *
join_lines (const char * const *argv)
{
  return g_strjoinv ("\n", (char **) argv);
}

/* Every ssh MigWizard runs for a host reached by qemu+ssh://u@h:2222/system logs in as u on port
 * 2222 with host keys pinned (StrictHostKeyChecking=yes): the checks' probes on the source and
 * the set-up's commands (through a stand-in ssh that prints the argv it was given). */
static void
test_argv_for_uri (void)
{
  const char *uri = "qemu+ssh://u@h:2222/system";
  const char * const probe[] = { "getent", "ahosts", "hostb", NULL };
  g_autoptr(MwSshTarget) target = mw_ssh_target_new_for_uri (uri, NULL);
  g_autoptr(MwSshTarget) tls = mw_ssh_target_new_for_uri ("qemu+tls://u@h:16514/system", NULL);
  g_autofree char *setup_target = mw_bridge_ssh_target_for_uri (uri);
  g_autofree char *setup_default =
    mw_bridge_ssh_target_for_uri ("qemu+ssh://[fe80::1]:2200/system");
  g_autofree char *dir = g_dir_make_tmp ("mw-ssh-argv-XXXXXX", NULL);
  g_autofree char *fake = g_build_filename (dir, "ssh", NULL);
  g_autofree char *old_ssh = g_strdup (g_getenv ("MW_SSH"));
  g_autofree char *out = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) check_argv = NULL;
  g_auto(GStrv) built = NULL;
  g_auto(GStrv) printed = NULL;
  g_autoptr(GPtrArray) want = g_ptr_array_new ();

  g_assert_cmpstr (target->user, ==, "u");
  g_assert_cmpstr (target->host, ==, "h");
  g_assert_cmpuint (target->port, ==, 2222);
  /* TLS's port is libvirt's, not ssh's. */
  g_assert_cmpuint (tls->port, ==, 0);
  g_assert_null (mw_ssh_target_new_for_uri ("qemu:///system", NULL));

  built = mw_ssh_build_argv (NULL, target, NULL, "getent ahosts hostb");
  g_assert_true (g_strv_contains ((const char * const *) built, "-oStrictHostKeyChecking=yes"));
  for (guint i = 0; built[i] != NULL; i++)
    {
      if (g_str_equal (built[i], "-p"))
        g_assert_cmpstr (built[i + 1], ==, "2222");
      if (g_str_equal (built[i], "-l"))
        g_assert_cmpstr (built[i + 1], ==, "u");
    }
  g_assert_true (g_strv_contains ((const char * const *) built, "-p"));
  g_assert_true (g_strv_contains ((const char * const *) built, "-l"));

  /* The probes on a host of the migration (the checks', the caps'): that very argv. */
  check_argv = mw_ssh_build_uri_argv (uri, probe);
  g_assert_nonnull (check_argv);
  g_assert_true (g_strv_equal ((const char * const *) check_argv,
                               (const char * const *) built));

  /* The set-up's target keeps user and port; without a user it is root's, IPv6 in brackets. */
  g_assert_cmpstr (setup_target, ==, "u@h:2222");
  g_assert_cmpstr (setup_default, ==, "root@[fe80::1]:2200");

  /* The set-up's ssh, run: a stand-in prints its argv. */
  g_assert_true (g_file_set_contents (fake, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n", -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0700), ==, 0);
  g_setenv ("MW_SSH", fake, TRUE);
  g_assert_true (mw_setup_ssh_run (setup_target, "getent ahosts hostb", NULL, &out, &error));
  if (old_ssh != NULL)
    g_setenv ("MW_SSH", old_ssh, TRUE);
  else
    g_unsetenv ("MW_SSH");
  g_assert_no_error (error);
  printed = g_strsplit (g_strchomp (out), "\n", -1);
  /* Everything the one builder puts in, plus the set-up's quiet log level. */
  for (guint i = 1; built[i] != NULL; i++)
    {
      if (g_str_equal (built[i], "--"))
        g_ptr_array_add (want, (gpointer) "-oLogLevel=ERROR");
      g_ptr_array_add (want, built[i]);
    }
  g_ptr_array_add (want, NULL);
  /* The command itself arrives in its own session, marked (mw-setup-host.c). */
  {
    guint last = g_strv_length (printed) - 1;

    g_assert_true (g_str_has_prefix (printed[last],
                                     "setsid -w sh -c 'getent ahosts hostb' mw-step-"));
    g_free (printed[last]);
    printed[last] = g_strdup ("getent ahosts hostb");
  }
  lines = join_lines ((const char * const *) printed);
  expected = join_lines ((const char * const *) want->pdata);
  g_assert_cmpstr (lines, ==, expected);

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", dir)), ==, 0);
}

/* ---- askpass ------------------------------------------------------------------------------ */

/* /proc's cmdline and environ are NUL-separated: search the bytes, not a C string. */
static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize length = strlen (needle);

  for (gsize i = 0; i + length <= size; i++)
    {
      if (memcmp (data + i, needle, length) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_askpass (void)
{
  const char *askpass = g_getenv ("MW_ASKPASS");
  const char *secret = "pä ss'\"$(x) wörd";
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GBytes) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("%s\n", secret);
  g_autofree char *script = NULL;

  if (askpass == NULL)
    {
      g_test_skip ("MW_ASKPASS is not set (run through meson test)");
      return;
    }

  /* As ssh runs it: the prompt as argv[1], the password on fd 0, named by MW_ASKPASS_FD. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "MW_ASKPASS_FD", "0", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, askpass, "root@hostb's password: ",
                                         NULL);
  g_assert_no_error (error);
  input = g_bytes_new (expected, strlen (expected));
  g_assert_true (g_subprocess_communicate (process, input, NULL, &output, &errors, &error));
  g_assert_true (g_subprocess_get_successful (process));
  g_assert_cmpmem (g_bytes_get_data (output, NULL), g_bytes_get_size (output),
                   expected, strlen (expected));
  g_assert_cmpuint (g_bytes_get_size (errors), ==, 0);

  /* Nothing of the password in its argv or environment while it runs: a wrapper that reads
   * /proc of the helper while the helper waits on the still-open pipe. */
  script = g_strdup ("{ printf s3cr3tZ; sleep 2; } | MW_ASKPASS_FD=0 \"$1\" prompt >/dev/null & "
                     "pid=$!; sleep 0.3; cat /proc/$pid/cmdline /proc/$pid/environ; kill $pid");
  {
    g_autoptr(GSubprocess) spy = NULL;
    g_autoptr(GBytes) spied = NULL;
    const char *argv[] = { "sh", "-c", script, "sh", askpass, NULL };

    spy = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate (spy, NULL, NULL, &spied, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (spied), >, 0);
    g_assert_true (bytes_contain (spied, "prompt"));
    g_assert_true (bytes_contain (spied, "MW_ASKPASS_FD=0"));
    g_assert_false (bytes_contain (spied, "s3cr3t"));
  }

  /* Without its variable it refuses, and prints nothing on stdout. */
  {
    g_autoptr(GSubprocess) bare = NULL;
    g_autoptr(GSubprocessLauncher) bare_launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    g_autoptr(GBytes) bare_out = NULL;

    g_subprocess_launcher_unsetenv (bare_launcher, "MW_ASKPASS_FD");
    bare = g_subprocess_launcher_spawn (bare_launcher, &error, askpass, "prompt", NULL);
    /* No input: it must refuse before reading any (writing to it would only race its exit). */
    g_assert_true (g_subprocess_communicate (bare, NULL, NULL, &bare_out, NULL, &error));
    g_assert_false (g_subprocess_get_successful (bare));
    g_assert_cmpuint (g_bytes_get_size (bare_out), ==, 0);
  }
}

/* The new key's passphrase goes through mw-askpass: a wrapper ssh-keygen first in PATH records
 * its own argv and environment (what every local user can read in /proc), then runs the real
 * one. The key must be encrypted with exactly that passphrase. */
static void
test_generate_key_passphrase (void)
{
  const char *passphrase = "Kr1ptö p'ass$(x)";
  g_autofree char *real = g_find_program_in_path ("ssh-keygen");
  g_autofree char *dir = g_dir_make_tmp ("mw-keygen-XXXXXX", NULL);
  g_autofree char *bin = g_build_filename (dir, "bin", NULL);
  g_autofree char *wrapper = g_build_filename (bin, "ssh-keygen", NULL);
  g_autofree char *record = g_build_filename (dir, "record", NULL);
  g_autofree char *ssh_dir = g_build_filename (dir, "ssh", NULL);
  g_autofree char *script = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *new_path = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *key = NULL;
  g_autofree char *recorded = NULL;
  g_autoptr(MwSshContext) context = mw_ssh_context_new (ssh_dir);
  g_autoptr(GError) error = NULL;
  gsize recorded_size = 0;
  int status = 0;

  if (g_getenv ("MW_ASKPASS") == NULL || real == NULL)
    {
      g_test_skip ("MW_ASKPASS is not set or ssh-keygen is missing");
      return;
    }

  g_assert_cmpint (g_mkdir (bin, 0700), ==, 0);
  script = g_strdup_printf ("#!/bin/sh\ncat /proc/$$/cmdline /proc/$$/environ >> '%s'\n"
                            "exec '%s' \"$@\"\n", record, real);
  g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
  g_assert_cmpint (g_chmod (wrapper, 0700), ==, 0);
  new_path = g_strconcat (bin, ":", old_path, NULL);
  g_setenv ("PATH", new_path, TRUE);

  pub = mw_ssh_generate_key (context, "mw-test", passphrase, NULL, &error);
  g_setenv ("PATH", old_path, TRUE);
  g_assert_no_error (error);
  g_assert_nonnull (pub);

  /* The wrapper ran, and nothing of the passphrase was in its argv or environment. */
  g_assert_true (g_file_get_contents (record, &recorded, &recorded_size, NULL));
  {
    g_autoptr(GBytes) bytes = g_bytes_new (recorded, recorded_size);

    g_assert_true (bytes_contain (bytes, "ed25519"));
    g_assert_false (bytes_contain (bytes, "Kr1pt"));
    g_assert_true (bytes_contain (bytes, "SSH_ASKPASS_REQUIRE=force"));
  }

  /* Encrypted with it: the right passphrase opens the key, a wrong one and none do not. */
  key = g_build_filename (ssh_dir, "id_ed25519", NULL);
  {
    const char *right[] = { real, "-y", "-P", passphrase, "-f", key, NULL };
    const char *wrong[] = { real, "-y", "-P", "Kr1ptö", "-f", key, NULL };
    const char *none[] = { real, "-y", "-P", "", "-f", key, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) right, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                                 | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                                 NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_spawn_sync (NULL, (char **) wrong, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                                 | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                                 NULL));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_spawn_sync (NULL, (char **) none, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                                 | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                                 NULL));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
  }

  g_assert_cmpint (system (g_strdup_printf ("rm -rf '%s'", dir)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();  /* as every program of the project does: SIGPIPE ignored */

  g_test_add_func ("/mw/ssh/parse-good", test_parse_good);
  g_test_add_func ("/mw/ssh/parse-bad", test_parse_bad);
  g_test_add_func ("/mw/ssh/target-uri", test_target_uri);
  g_test_add_func ("/mw/ssh/fingerprint-parse", test_parse_fingerprint);
  g_test_add_func ("/mw/ssh/fingerprint-real", test_fingerprint_real);
  g_test_add_func ("/mw/ssh/keyscan-line", test_parse_keyscan_line);
  g_test_add_func ("/mw/ssh/askpass", test_askpass);
  g_test_add_func ("/mw/ssh/argv-for-uri", test_argv_for_uri);
  g_test_add_func ("/mw/ssh/generate-key-passphrase", test_generate_key_passphrase);

  return g_test_run ();
}
