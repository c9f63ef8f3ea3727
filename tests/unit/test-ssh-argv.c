/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ssh-argv.c: the one ssh command line for a command run on a host of the migration
 * (mw_ssh_build_uri_argv): its words for a qemu+ssh URI with a user and a port, the remote
 * command quoted by mw_shell_join, NULL for URIs not reached over ssh; and the two probes that
 * run commands on a host (the checks' mw_check_ask_source, the caps' run_probe) both using it,
 * seen through an ssh stand-in that prints its arguments; and the ssh command that peer-to-peer
 * checks run on the source, quoted by the same mw_shell_join. */

#include "config.h"

#include <glib/gstdio.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-shell.h"
#include "mw-ssh.h"

#define URI "qemu+ssh://admin@hosta.example:2222/system"

/* A command whose words need quoting: a script with quotes, and a name with a space. */
static const char * const command[] = { "sh", "-c", "echo 'it is' \"$1\"", "sh", "my guest",
                                        NULL };

/* What ssh gets for URI and command, after the program's name. */
static const char * const expected[] = {
  "-oStrictHostKeyChecking=yes", "-oConnectTimeout=10", "-p", "2222", "-l", "admin",
  "-oBatchMode=yes", "-T", "--", "hosta.example",
  "sh -c 'echo '\\''it is'\\'' \"$1\"' sh 'my guest'", NULL
};

static void
test_ssh_uri (void)
{
  g_auto(GStrv) argv = NULL;
  g_autofree char *remote = mw_shell_join (command);

  g_unsetenv ("MW_SSH");
  argv = mw_ssh_build_uri_argv (URI, command);
  g_assert_nonnull (argv);
  g_assert_cmpstr (argv[0], ==, "ssh");
  g_assert_cmpstrv ((const char * const *) argv + 1, expected);
  /* The last word is the remote shell's, quoted in the one place. */
  g_assert_cmpstr (argv[g_strv_length (argv) - 1], ==, remote);
}

static void
test_default_port (void)
{
  g_auto(GStrv) plain = NULL;
  g_auto(GStrv) port22 = NULL;
  const char * const words[] = { "true", NULL };
  const char * const want[] = { "ssh", "-oStrictHostKeyChecking=yes", "-oConnectTimeout=10",
                                "-oBatchMode=yes", "-T", "--", "hostb", "true", NULL };

  g_unsetenv ("MW_SSH");
  plain = mw_ssh_build_uri_argv ("qemu+ssh://hostb/system", words);
  port22 = mw_ssh_build_uri_argv ("qemu+ssh://hostb:22/system", words);
  g_assert_cmpstrv ((const char * const *) plain, want);
  g_assert_cmpstrv ((const char * const *) port22, want);
}

static void
test_not_ssh (void)
{
  const char * const uris[] = { "qemu:///system", "qemu+tcp://hostb/system",
                                "qemu+tls://hostb:16514/system", "test:///default",
                                "qemu+unix:///system", "qemu+ssh:///system", "not a uri" };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_auto(GStrv) argv = mw_ssh_build_uri_argv (uris[i], command);

      g_test_message ("%s", uris[i]);
      g_assert_null (argv);
    }
}

/* The joined words as echo prints them: ssh's arguments (the stand-in is echo). */
static char *
echoed (void)
{
  g_autofree char *joined = g_strjoinv (" ", (char **) expected);

  return g_strconcat (joined, "\n", NULL);
}

/* The checks ask the source over ssh with the same line. */
static void
test_check_ask_source (void)
{
  g_autoptr(MwCheckFacts) facts = mw_check_facts_new (URI, "qemu+ssh://hostb/system", "guest",
                                                      NULL);
  MwCheckContext context = { facts, NULL, NULL, 10, NULL };
  g_autofree char *out = NULL;
  g_autofree char *why_not = NULL;
  g_autofree char *want = echoed ();
  int status = -1;

  g_setenv ("MW_SSH", "echo", TRUE);
  g_assert_cmpint (mw_check_ask_source (&context, command, NULL, &out, &status, &why_not), ==,
                   MW_VANTAGE_SOURCE);
  g_unsetenv ("MW_SSH");
  g_assert_null (why_not);
  g_assert_cmpint (status, ==, 0);
  /* mw_check_spawn strips the output. */
  g_assert_cmpstr (out, ==, g_strstrip (want));
}

/* The caps' probes run with the same line. */
static void
test_caps_probe (void)
{
  g_autofree char *out = NULL;
  g_autofree char *want = echoed ();

  g_setenv ("MW_SSH", "echo", TRUE);
  out = mw_migration_caps_run_probe (URI, command, 10, NULL);
  g_unsetenv ("MW_SSH");
  g_assert_cmpstr (out, ==, want);

  /* Not ssh and not local: not asked at all. */
  g_assert_null (mw_migration_caps_run_probe ("qemu+tcp://hostb/system", command, 10, NULL));
}

/* The ssh that peer-to-peer runs on the source is a command for the source's shell: its words
 * quoted by mw_shell_join, the same string as ever. The stand-in ssh exits 0 only when its
 * last argument (the remote command) is that string. */
static void
test_p2p_remote_command (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-ssh-p2p-XXXXXX", NULL);
  g_autofree char *fake = g_build_filename (dir, "ssh", NULL);
  g_autoptr(MwSshTarget) source = mw_ssh_target_parse ("admin@hosta", NULL);
  g_autofree char *explanation = NULL;
  g_autoptr(GError) error = NULL;
  gboolean works;

  g_assert_nonnull (source);
  g_assert_true (g_file_set_contents (fake,
                                      "#!/bin/sh\nfor a; do last=$a; done\n"
                                      "[ \"$last\" = 'ssh -o BatchMode=yes -o ConnectTimeout=10 "
                                      "-l root -- hostb.example true' ]\n", -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0700), ==, 0);
  g_setenv ("MW_SSH", fake, TRUE);
  works = mw_ssh_check_p2p (NULL, source, "hostb.example", &explanation, NULL, &error);
  g_unsetenv ("MW_SSH");
  g_assert_no_error (error);
  g_assert_true (works);
  g_assert_cmpint (g_unlink (fake), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/ssh/uri-argv/ssh-uri", test_ssh_uri);
  g_test_add_func ("/mw/ssh/uri-argv/default-port", test_default_port);
  g_test_add_func ("/mw/ssh/uri-argv/not-ssh", test_not_ssh);
  g_test_add_func ("/mw/ssh/uri-argv/check-ask-source", test_check_ask_source);
  g_test_add_func ("/mw/ssh/uri-argv/caps-probe", test_caps_probe);
  g_test_add_func ("/mw/ssh/uri-argv/p2p-remote-command", test_p2p_remote_command);

  return g_test_run ();
}
