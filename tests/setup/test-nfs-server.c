/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nfs-server.c: the NFS server side over a stand-in ssh that runs the remote commands
 * locally with sh (/etc/exports rewritten to a temporary file, ufw and exportfs stand-ins on
 * PATH): an undo that cannot write /etc/exports leaves it whole and says so; a firewall rule
 * that was there before is kept on undo. And the host-key decision taken before the first ssh. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mw-setup-host.h"
#include "mw-storage-setup.h"

typedef struct
{
  char *dir;      /* everything of one case */
  char *bin;      /* stand-ins first on PATH */
  char *exports;  /* stands for /etc/exports */
} Sandbox;

static void
write_script (const char *path,
              const char *text)
{
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

static void
sandbox_init (Sandbox *box)
{
  g_autofree char *script = NULL;
  g_autofree char *path = NULL;

  box->dir = g_dir_make_tmp ("mw-nfs-XXXXXX", NULL);
  box->bin = g_build_filename (box->dir, "bin", NULL);
  box->exports = g_build_filename (box->dir, "exports", NULL);
  g_assert_cmpint (g_mkdir (box->bin, 0700), ==, 0);

  /* ufw: active; "allow" of a rule listed in ufw.rules is skipped, as the real one does */
  path = g_build_filename (box->bin, "ufw", NULL);
  script = g_strdup_printf ("#!/bin/sh\necho \"ufw $*\" >> %s/ufw.log\n"
                            "case \"$1\" in\n"
                            "  status) echo 'Status: active';;\n"
                            "  allow) if grep -qxF \"$*\" %s/ufw.rules 2>/dev/null; then "
                            "echo 'Skipping adding existing rule'; else echo \"$*\" >> "
                            "%s/ufw.rules; echo 'Rule added'; fi;;\n"
                            "  delete) shift; grep -vxF \"$*\" %s/ufw.rules > %s/ufw.new; "
                            "mv %s/ufw.new %s/ufw.rules; echo 'Rule deleted';;\n"
                            "esac\n", box->dir, box->dir, box->dir, box->dir, box->dir,
                            box->dir, box->dir);
  write_script (path, script);
  g_free (path);
  /* no firewalld here, whatever the machine has */
  path = g_build_filename (box->bin, "firewall-cmd", NULL);
  write_script (path, "#!/bin/sh\nexit 252\n");
  g_free (path);
  path = g_build_filename (box->bin, "exportfs", NULL);
  write_script (path, "#!/bin/sh\nexit 0\n");
}

/* The one ssh argv ends in -- HOST COMMAND; the command runs here, on the sandbox, unless one of
 * ssh_cases (shell case branches) takes it. */
static void
sandbox_set_ssh (Sandbox    *box,
                 const char *ssh_cases)
{
  g_autofree char *script = NULL;

  script = g_strdup_printf ("#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done\nshift 2\n"
                            /* set-up steps arrive as `setsid -w sh -c COMMAND mw-step-TOKEN` */
                            "case \"$1\" in 'setsid -w sh -c '*) eval \"set -- $1\"; shift 4;; esac\n"
                            "cmd=$(printf '%%s' \"$1\" | sed 's#/etc/exports#%s#g')\n"
                            "printf '%%s\\n--\\n' \"$cmd\" >> %s/ssh.log\n"
                            "PATH=%s:$PATH; HOME=%s; export PATH HOME\n"
                            "case \"$cmd\" in\n%s"
                            "  *'mkdir -p'*) echo changed;;\n"
                            "  rmdir*) exit 0;;\n"
                            "  showmount*) echo 'Export list for localhost:'; exit 0;;\n"
                            "  *) exec sh -c \"$cmd\";;\n"
                            "esac\n", box->exports, box->dir, box->bin, box->dir, ssh_cases);
  write_script (g_getenv ("MW_SSH"), script);
}

static void
sandbox_clear (Sandbox *box)
{
  const char *argv[] = { "rm", "-rf", box->dir, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, NULL, NULL));
  g_unlink (g_getenv ("MW_SSH"));
  g_free (box->dir);
  g_free (box->bin);
  g_free (box->exports);
}

static char *
sandbox_read (Sandbox    *box,
              const char *name)
{
  g_autofree char *path = g_build_filename (box->dir, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static MwSetupStep *
step_at (GPtrArray *steps,
         guint      i)
{
  g_assert_cmpuint (i, <, steps->len);
  return g_ptr_array_index (steps, i);
}

/* The undo of the exports line meets a disk that cannot take the rewrite (a directory where
 * its temporary file goes, made when exportfs fails): /etc/exports keeps all its 301 lines and
 * the added one, byte for byte, and the step says it could not be undone. Before, the undo
 * emptied the file and reported success. */
static void
test_undo_keeps_exports (void)
{
  Sandbox box = { 0 };
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("nas", "/srv/vmstore", "10.78.0.0/24", NULL,
                                               NULL);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) original = g_string_new (NULL);
  g_autofree char *cases = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *line = mw_nfs_plan_get_exports_line (plan);

  sandbox_init (&box);
  /* the old undo's temporary file too, so this fails without the line editor as well */
  cases = g_strdup_printf ("  *'exportfs -r && echo changed'*) mkdir %s.migwizard-new "
                           "%s.migwizard; echo 'exportfs: No space left on device' >&2; "
                           "exit 1;;\n", box.exports, box.exports);
  sandbox_set_ssh (&box, cases);

  for (guint i = 0; i < 301; i++)
    g_string_append_printf (original, "/srv/share%u 10.%u.0.0/16(rw,sync)\n", i, i % 250);
  g_assert_true (g_file_set_contents (box.exports, original->str, -1, NULL));

  g_assert_false (mw_nfs_apply_server (plan, NULL, &steps, &error));
  g_assert_cmpstr (error->message, ==,
                   "nas: reload the exports (exportfs -r): exportfs: No space left on device");
  g_assert_cmpuint (steps->len, ==, 3);
  g_assert_cmpint (step_at (steps, 0)->state, ==, MW_SETUP_STEP_UNDONE);
  g_assert_cmpint (step_at (steps, 1)->state, ==, MW_SETUP_STEP_UNDO_FAILED);
  g_assert_nonnull (strstr (step_at (steps, 1)->message, " was left as it was: "));
  g_assert_cmpint (step_at (steps, 2)->state, ==, MW_SETUP_STEP_FAILED);

  text = sandbox_read (&box, "exports");
  expected = g_strdup_printf ("%s%s\n", original->str, line);
  g_assert_cmpstr (text, ==, expected);
  sandbox_clear (&box);
}

/* ufw already allowing TCP 2049 from the hosts: the step is "unchanged", and a later failure
 * does not delete the admin's rule; a rule the set-up added is deleted again. */
static void
check_firewall_undo (gboolean pre_existing)
{
  Sandbox box = { 0 };
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("nas", "/srv/vmstore", "10.78.0.0/24", NULL,
                                               NULL);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *log = NULL;
  g_autofree char *rules_path = NULL;
  const char *rule = "allow from 10.78.0.0/24 to any port 2049 proto tcp";
  MwSetupStep *firewall;

  sandbox_init (&box);
  sandbox_set_ssh (&box, "");
  rules_path = g_build_filename (box.dir, "ufw.rules", NULL);
  if (pre_existing)
    g_assert_true (g_file_set_contents (rules_path, "allow from 10.78.0.0/24 to any port 2049 "
                                        "proto tcp\n", -1, NULL));

  /* showmount does not list the export: everything before it is undone */
  g_assert_false (mw_nfs_apply_server (plan, NULL, &steps, &error));
  g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_NOT_FOUND);
  g_assert_cmpuint (steps->len, ==, 5);
  firewall = step_at (steps, 3);
  rules = sandbox_read (&box, "ufw.rules");
  log = sandbox_read (&box, "ufw.log");
  if (pre_existing)
    {
      g_assert_cmpint (firewall->state, ==, MW_SETUP_STEP_UNCHANGED);
      g_assert_cmpstr (firewall->message, ==, "ufw already allows TCP 2049 from 10.78.0.0/24 "
                                              "(a rule that was there before, kept on undo)");
      g_assert_nonnull (strstr (rules, rule));
      g_assert_null (strstr (log, "delete"));
    }
  else
    {
      g_assert_cmpint (firewall->state, ==, MW_SETUP_STEP_UNDONE);
      g_assert_null (strstr (rules, rule));
      g_assert_nonnull (strstr (log, "ufw delete allow from 10.78.0.0/24 to any port 2049 "
                                     "proto tcp"));
    }
  /* the exports line went again either way */
  g_assert_cmpint (step_at (steps, 1)->state, ==, MW_SETUP_STEP_UNDONE);
  {
    g_autofree char *exports = sandbox_read (&box, "exports");

    g_assert_cmpstr (exports, ==, "");
  }
  sandbox_clear (&box);
}

static void
test_firewall_pre_existing (void)
{
  check_firewall_undo (TRUE);
}

static void
test_firewall_added (void)
{
  check_firewall_undo (FALSE);
}

typedef struct
{
  const char *ran;            /* appears when the step has run on the "server" */
  GCancellable *cancellable;
} StopLater;

static gpointer
stop_when_ran_thread (gpointer data)
{
  StopLater *later = data;

  for (guint i = 0; i < 400 && !g_file_test (later->ran, G_FILE_TEST_EXISTS); i++)
    g_usleep (25 * 1000);
  g_cancellable_cancel (later->cancellable);
  return NULL;
}

/* Stopped after the exports step ran on the server but before its answer came back: the undo
 * takes away only a line the step added. A line that was there before (the same export, set up
 * by hand or by an earlier run) stays; before the mark, the stop's undo removed it. No mark is
 * left behind in the remote user's home either way. */
static void
check_stop_after_exports (gboolean line_was_there)
{
  Sandbox box = { 0 };
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("nas", "/srv/vmstore", "10.78.0.0/24", NULL,
                                               NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) home = NULL;
  g_autofree char *line = mw_nfs_plan_get_exports_line (plan);
  g_autofree char *ran = NULL;
  g_autofree char *cases = NULL;
  g_autofree char *original = NULL;
  g_autofree char *text = NULL;
  StopLater later;
  GThread *thread;
  const char *name;

  sandbox_init (&box);
  ran = g_build_filename (box.dir, "ran", NULL);
  /* the exports step runs whole, then its answer never comes (ssh hangs until stopped) */
  cases = g_strdup_printf ("  *'awk -v p='*) sh -c \"$cmd\"; : > %s; exec sleep 30;;\n", ran);
  sandbox_set_ssh (&box, cases);
  original = g_strdup_printf ("/srv/other 10.0.0.0/8(ro)\n%s", line_was_there ? line : "");
  if (line_was_there)
    {
      g_autofree char *with = g_strdup_printf ("%s\n", original);

      g_free (original);
      original = g_steal_pointer (&with);
    }
  g_assert_true (g_file_set_contents (box.exports, original, -1, NULL));

  later.ran = ran;
  later.cancellable = cancellable;
  thread = g_thread_new ("stop", stop_when_ran_thread, &later);
  g_assert_false (mw_nfs_apply_server (plan, cancellable, &steps, &error));
  g_thread_join (thread);
  g_assert_true (g_file_test (ran, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpint (step_at (steps, 1)->state, ==, MW_SETUP_STEP_FAILED);

  text = sandbox_read (&box, "exports");
  g_assert_cmpstr (text, ==, original);
  home = g_dir_open (box.dir, 0, NULL);
  while ((name = g_dir_read_name (home)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".mw-setup-"));
  sandbox_clear (&box);
}

static void
test_stop_keeps_line_there_before (void)
{
  check_stop_after_exports (TRUE);
}

static void
test_stop_removes_line_added (void)
{
  check_stop_after_exports (FALSE);
}

/* Host key */

static MwSshHostKey *
fake_key (const char *type,
          const char *fingerprint)
{
  MwSshHostKey *key = g_new0 (MwSshHostKey, 1);

  key->type = g_strdup (type);
  key->fingerprint = g_strdup (fingerprint);
  key->key_type = g_strdup ("ssh-ed25519");
  key->key_blob = g_strdup ("AAAA");
  return key;
}

/* Known: go on, whatever was given. New: ask, unless the fingerprint given is one of the host's
 * keys (with or without "SHA256:", padding or not), and refuse one that is none of them. */
static void
test_host_key_decide (void)
{
  MwSshHostKeyCheck check = { MW_SSH_HOST_KEY_KNOWN_SAME, NULL, NULL };
  const MwSshHostKey *key = (gpointer) 0x1;
  MwSshHostKey *best;
  MwSshHostKey *second;

  check.keys = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_ssh_host_key_free);
  best = fake_key ("ED25519", "SHA256:aaaa");
  second = fake_key ("ECDSA", "SHA256:bbbb");
  g_ptr_array_add (check.keys, best);
  g_ptr_array_add (check.keys, second);
  check.known = second;

  g_assert_cmpint (mw_setup_host_key_decide (&check, NULL, &key), ==, MW_SETUP_HOST_KEY_TRUSTED);
  g_assert_null (key);
  g_assert_cmpint (mw_setup_host_key_decide (&check, "SHA256:zzzz", NULL), ==,
                   MW_SETUP_HOST_KEY_TRUSTED);

  check.state = MW_SSH_HOST_KEY_NEW;
  check.known = NULL;
  g_assert_cmpint (mw_setup_host_key_decide (&check, NULL, &key), ==, MW_SETUP_HOST_KEY_ASK);
  g_assert_true (key == best);
  g_assert_cmpint (mw_setup_host_key_decide (&check, "", &key), ==, MW_SETUP_HOST_KEY_ASK);
  g_assert_cmpint (mw_setup_host_key_decide (&check, "SHA256:bbbb", &key), ==,
                   MW_SETUP_HOST_KEY_ACCEPTED);
  g_assert_true (key == second);
  g_assert_cmpint (mw_setup_host_key_decide (&check, "aaaa", &key), ==,
                   MW_SETUP_HOST_KEY_ACCEPTED);
  g_assert_true (key == best);
  g_assert_cmpint (mw_setup_host_key_decide (&check, "SHA256:aaaa=", &key), ==,
                   MW_SETUP_HOST_KEY_ACCEPTED);
  g_assert_cmpint (mw_setup_host_key_decide (&check, "SHA256:aaab", &key), ==,
                   MW_SETUP_HOST_KEY_MISMATCH);
  g_assert_true (key == best);
  g_assert_cmpint (mw_setup_host_key_decide (&check, "SHA256:AAAA", &key), ==,
                   MW_SETUP_HOST_KEY_MISMATCH);

  g_ptr_array_unref (check.keys);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fake_ssh = NULL;

  g_test_init (&argc, &argv, NULL);
  fake_ssh = g_strdup_printf ("%s/mwtest-nfs-ssh-%d", g_get_tmp_dir (), (int) getpid ());
  g_setenv ("MW_SSH", fake_ssh, TRUE);

  g_test_add_func ("/mw/nfs-server/undo-keeps-exports", test_undo_keeps_exports);
  g_test_add_func ("/mw/nfs-server/firewall-pre-existing", test_firewall_pre_existing);
  g_test_add_func ("/mw/nfs-server/firewall-added", test_firewall_added);
  g_test_add_func ("/mw/nfs-server/host-key-decide", test_host_key_decide);
  g_test_add_func ("/mw/nfs-server/stop-keeps-line-there-before",
                   test_stop_keeps_line_there_before);
  g_test_add_func ("/mw/nfs-server/stop-removes-line-added", test_stop_removes_line_added);

  return g_test_run ();
}
