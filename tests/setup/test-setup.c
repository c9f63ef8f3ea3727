/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-setup.c: the NFS plan and its pool XML (through libvirt-gconfig, parsed back), the
 * journal's rollback, the pool set-up against the demo nodes, the bridge network XML and
 * commands. The bridge made for real in a network namespace is test-bridge-netns.c. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "mw-bridge-setup.h"
#include "mw-libvirt.h"
#include "mw-migration-options.h"
#include "mw-setup-object.h"
#include "mw-storage-setup.h"
#include "mw-test-core.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigNetwork, g_object_unref)

static char *
demo_uri (const char *node)
{
  return g_strdup_printf ("test://%s/%s.xml", g_getenv ("MW_DEMO_DIR"), node);
}

/* Plan */

static void
test_pool_xml (void)
{
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("nas.example", "/srv/vm store'x", "10.78.0.0/24",
                                               NULL, NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GVirConfigStoragePool) parsed = NULL;
  g_autoptr(GVirConfigStoragePoolSource) source = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *defined = NULL;
  virConnectPtr conn;
  virStoragePoolPtr pool;

  /* refused: a path with spaces and quotes cannot be one word of /etc/exports */
  g_assert_false (mw_nfs_plan_validate (plan, &error));
  g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID);
  g_clear_error (&error);

  g_free (plan->export_path);
  plan->export_path = g_strdup ("/srv/vmstore");
  g_assert_true (mw_nfs_plan_validate (plan, &error));
  g_assert_no_error (error);

  xml = mw_nfs_plan_get_pool_xml (plan);
  parsed = gvir_config_storage_pool_new_from_xml (xml, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gvir_config_storage_pool_get_pool_type (parsed), ==,
                   GVIR_CONFIG_STORAGE_POOL_TYPE_NETFS);
  g_assert_cmpstr (gvir_config_storage_pool_get_name (parsed), ==, MW_NFS_DEFAULT_POOL);
  source = gvir_config_storage_pool_get_source (parsed);
  g_assert_cmpstr (gvir_config_storage_pool_source_get_host (source), ==, "nas.example");
  /* libvirt reads <dir path=…> (libvirt-gconfig 4.0's own getter reads <directory>) */
  dir = mw_setup_xml_find_attribute (xml, "dir", "path", NULL);
  g_assert_cmpstr (dir, ==, "/srv/vmstore");
  g_assert_null (strstr (xml, "<directory"));
  g_assert_cmpstr (gvir_config_storage_pool_source_get_format (source), ==, "nfs");
  target = gvir_config_storage_pool_get_target (parsed);
  g_assert_cmpstr (gvir_config_storage_pool_target_get_path (target), ==, MW_NFS_DEFAULT_TARGET);

  /* libvirt itself takes it and keeps the source directory */
  conn = virConnectOpen ("test:///default");
  g_assert_nonnull (conn);
  pool = virStoragePoolDefineXML (conn, xml, 0);
  g_assert_nonnull (pool);
  defined = mw_setup_xml_find_attribute (virStoragePoolGetXMLDesc (pool, 0), "dir", "path", NULL);
  g_assert_cmpstr (defined, ==, "/srv/vmstore");
  g_assert_cmpint (virStoragePoolUndefine (pool), ==, 0);
  virStoragePoolFree (pool);
  virConnectClose (conn);
}

static void
test_exports_and_render (void)
{
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("hosta", "/srv/vmstore", "10.78.0.0/24", "vms",
                                               "/var/lib/libvirt/vms");
  g_autofree char *line = mw_nfs_plan_get_exports_line (plan);
  g_autofree char *text = mw_nfs_plan_render (plan);
  g_auto(GStrv) commands = mw_nfs_plan_get_server_commands (plan);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (line, ==, "/srv/vmstore 10.78.0.0/24(rw,sync,no_subtree_check,no_root_squash)");
  g_assert_cmpstr (commands[0], ==, "mkdir -p /srv/vmstore");
  g_assert_cmpstr (commands[1], ==,
                   "echo '/srv/vmstore 10.78.0.0/24(rw,sync,no_subtree_check,no_root_squash)' "
                   ">> /etc/exports");
  g_assert_cmpstr (commands[2], ==, "exportfs -r");
  g_assert_nonnull (strstr (text, "   " "/srv/vmstore 10.78.0.0/24(rw,sync,no_subtree_check,"
                            "no_root_squash)\n"));
  g_assert_nonnull (strstr (text, "exportfs -r"));
  /* the exports line is shown once, not also as an echo command */
  g_assert_null (strstr (strstr (text, "no_root_squash)") + 1, "no_root_squash)"));
  g_assert_null (strstr (text, ">> /etc/exports"));
  g_assert_nonnull (strstr (text, "ufw allow from 10.78.0.0/24 to any port 2049 proto tcp"));
  g_assert_null (strstr (text, "opened to any host"));
  g_assert_nonnull (strstr (text, "TCP 2049"));
  g_assert_nonnull (strstr (text, "firewall-cmd --permanent --add-service=nfs"));
  g_assert_nonnull (strstr (text, "setsebool -P virt_use_nfs 1"));
  g_assert_nonnull (strstr (text, "showmount -e"));
  g_assert_nonnull (strstr (text, "virsh pool-define-as vms netfs --source-host hosta "
                            "--source-path /srv/vmstore --source-format nfs "
                            "--target /var/lib/libvirt/vms"));

  /* bad networks and pool names are refused before anything runs */
  g_free (plan->network);
  plan->network = g_strdup ("10.78.0.0/99");
  g_assert_false (mw_nfs_plan_validate (plan, &error));
  g_clear_error (&error);
  g_free (plan->network);
  plan->network = g_strdup ("*.lab.example");
  g_assert_true (mw_nfs_plan_validate (plan, NULL));
  /* ufw takes addresses only: a pattern or everyone opens the port to any, and says so */
  for (guint i = 0; i < 3; i++)
    {
      const char *network[] = { "*.lab.example", "*", "hostb.lab" };
      g_autofree char *source = NULL;
      g_autofree char *rendered = NULL;
      g_auto(GStrv) lines = NULL;

      g_free (plan->network);
      plan->network = g_strdup (network[i]);
      source = mw_nfs_plan_get_firewall_source (plan);
      g_assert_cmpstr (source, ==, "any");
      lines = mw_nfs_plan_get_server_commands (plan);
      g_assert_cmpstr (lines[4], ==, "ufw allow from any to any port 2049 proto tcp");
      rendered = mw_nfs_plan_render (plan);
      g_assert_nonnull (strstr (rendered, "opened to any host"));
    }
  g_free (plan->network);
  plan->network = g_strdup ("10.78.0.7");
  g_free (line);
  line = mw_nfs_plan_get_firewall_source (plan);
  g_assert_cmpstr (line, ==, "10.78.0.7");
  g_free (plan->pool_name);
  plan->pool_name = g_strdup ("-x");
  g_assert_false (mw_nfs_plan_validate (plan, &error));
}

/* A risky plan: anyone may mount, a whole top-level directory: warned about with specific
 * sentences; "/" and the system's own directories: refused. */
static void
test_plan_warnings (void)
{
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("nas", "/srv/vmstore", "10.78.0.0/24", NULL, NULL);
  const char *everyone[] = { "*", "0.0.0.0/0", "::/0", NULL };
  const char *refused[] = { "/", "//", "/./", "/etc", "/etc/", "/usr/share/vm", "/boot",
                            "/root/vms", NULL };
  const char *broad[] = { "/home", "/var/", "/srv", NULL };
  g_auto(GStrv) warnings = NULL;

  warnings = mw_nfs_plan_get_warnings (plan);
  g_assert_cmpuint (g_strv_length (warnings), ==, 0);

  for (guint i = 0; everyone[i] != NULL; i++)
    {
      g_autofree char *expected = g_strdup_printf ("“%s” lets any computer that reaches the "
                                                   "server mount the export, with root access "
                                                   "to the guests’ disks (no_root_squash).",
                                                   everyone[i]);

      g_free (plan->network);
      plan->network = g_strdup (everyone[i]);
      g_assert_true (mw_nfs_plan_validate (plan, NULL));
      g_clear_pointer (&warnings, g_strfreev);
      warnings = mw_nfs_plan_get_warnings (plan);
      g_assert_cmpuint (g_strv_length (warnings), ==, 1);
      g_assert_true (g_str_has_prefix (warnings[0], expected));
    }
  g_free (plan->network);
  plan->network = g_strdup ("*.lab.example");
  g_clear_pointer (&warnings, g_strfreev);
  warnings = mw_nfs_plan_get_warnings (plan);
  g_assert_cmpuint (g_strv_length (warnings), ==, 0);

  for (guint i = 0; refused[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", refused[i]);
      g_free (plan->export_path);
      plan->export_path = g_strdup (refused[i]);
      g_assert_false (mw_nfs_plan_validate (plan, &error));
      g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "no_root_squash"));
      g_assert_nonnull (strstr (error->message, "/srv/vmstore"));
    }
  {
    g_autoptr(GError) error = NULL;

    g_free (plan->export_path);
    plan->export_path = g_strdup ("/");
    g_assert_false (mw_nfs_plan_validate (plan, &error));
    g_assert_true (g_str_has_prefix (error->message, "Exporting / would give every host that "
                                                     "mounts it root access"));
    g_clear_error (&error);
    g_free (plan->export_path);
    plan->export_path = g_strdup ("/etc/");
    g_assert_false (mw_nfs_plan_validate (plan, &error));
    g_assert_true (g_str_has_prefix (error->message, "/etc belongs to the server’s operating "
                                                     "system"));
  }

  for (guint i = 0; broad[i] != NULL; i++)
    {
      g_free (plan->export_path);
      plan->export_path = g_strdup (broad[i]);
      g_assert_true (mw_nfs_plan_validate (plan, NULL));
      g_clear_pointer (&warnings, g_strfreev);
      warnings = mw_nfs_plan_get_warnings (plan);
      g_assert_cmpuint (g_strv_length (warnings), ==, 1);
      g_assert_nonnull (strstr (warnings[0], " is a whole top-level directory: every host that "
                                             "mounts it gets root access"));
    }

  /* both at once: two sentences */
  g_free (plan->network);
  plan->network = g_strdup ("*");
  g_clear_pointer (&warnings, g_strfreev);
  warnings = mw_nfs_plan_get_warnings (plan);
  g_assert_cmpuint (g_strv_length (warnings), ==, 2);

  /* the usual places stay quiet */
  g_free (plan->network);
  plan->network = g_strdup ("10.78.0.0/24");
  g_free (plan->export_path);
  plan->export_path = g_strdup ("/var/lib/libvirt/images");
  g_assert_true (mw_nfs_plan_validate (plan, NULL));
  g_clear_pointer (&warnings, g_strfreev);
  warnings = mw_nfs_plan_get_warnings (plan);
  g_assert_cmpuint (g_strv_length (warnings), ==, 0);
}

/* Journal */

typedef struct
{
  GString *log;
  const char *name;
  gboolean change;
  gboolean fail;
  int stop_code;     /* with fail: G_IO_ERROR_CANCELLED or MW_SETUP_ERROR_TIMED_OUT, or 0 */
} FakeStep;

static gboolean
fake_run (gpointer       data,
          gboolean      *changed,
          char         **note,
          GCancellable  *cancellable,
          GError       **error)
{
  FakeStep *step = data;

  g_string_append_printf (step->log, "do %s;", step->name);
  if (step->fail && step->stop_code == MW_SETUP_ERROR_TIMED_OUT)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_TIMED_OUT, "too long");
      return FALSE;
    }
  if (step->fail && step->stop_code == G_IO_ERROR_CANCELLED)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  if (step->fail)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
      return FALSE;
    }
  *changed = step->change;
  return TRUE;
}

static gboolean
fake_undo (gpointer   data,
           GError   **error)
{
  FakeStep *step = data;

  g_string_append_printf (step->log, "undo %s;", step->name);
  return TRUE;
}

static void
test_journal_rollback (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  FakeStep steps[] = {
    { log, "one", TRUE, FALSE },
    { log, "two", FALSE, FALSE },   /* changed nothing: nothing to undo */
    { log, "three", TRUE, FALSE },
    { log, "four", TRUE, TRUE },    /* fails */
  };
  g_autoptr(MwSetupJournal) journal = mw_setup_journal_new ("hostb");
  g_autoptr(GError) error = NULL;
  GPtrArray *recorded;
  g_autofree char *line = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      MwSetupAction action = { steps[i].name, fake_run, fake_undo };
      gboolean ok = mw_setup_journal_run (journal, &action, &steps[i], NULL, NULL, &error);

      g_assert_true (ok == (i < 3));
    }
  g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "hostb: four: boom");
  g_assert_cmpstr (log->str, ==, "do one;do two;do three;do four;undo three;undo one;");

  recorded = mw_setup_journal_get_steps (journal);
  g_assert_cmpuint (recorded->len, ==, 4);
  g_assert_cmpint (((MwSetupStep *) recorded->pdata[0])->state, ==, MW_SETUP_STEP_UNDONE);
  g_assert_cmpint (((MwSetupStep *) recorded->pdata[1])->state, ==, MW_SETUP_STEP_UNCHANGED);
  g_assert_cmpint (((MwSetupStep *) recorded->pdata[2])->state, ==, MW_SETUP_STEP_UNDONE);
  g_assert_cmpint (((MwSetupStep *) recorded->pdata[3])->state, ==, MW_SETUP_STEP_FAILED);
  line = mw_setup_step_to_string (recorded->pdata[3]);
  g_assert_cmpstr (line, ==, "hostb: four — failed: boom");
}

/* A step stopped half-way (timed out or cancelled) may have changed the host: its own undo runs
 * before the earlier steps' (a step that fails by itself cleans up after itself); a step that
 * never started because the cancel came first is not undone. */
static void
test_journal_stopped (void)
{
  int codes[] = { MW_SETUP_ERROR_TIMED_OUT, G_IO_ERROR_CANCELLED };

  for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
    {
      g_autoptr(GString) log = g_string_new (NULL);
      FakeStep steps[] = {
        { log, "one", TRUE, FALSE, 0 },
        { log, "two", FALSE, TRUE, codes[c] },
      };
      g_autoptr(MwSetupJournal) journal = mw_setup_journal_new ("hostb");
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      GPtrArray *recorded;

      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        {
          MwSetupAction action = { steps[i].name, fake_run, fake_undo };

          g_assert_true (mw_setup_journal_run (journal, &action, &steps[i], NULL, NULL, &error)
                         == (i == 0));
        }
      g_assert_cmpstr (log->str, ==, "do one;do two;undo two;undo one;");
      recorded = mw_setup_journal_get_steps (journal);
      g_assert_cmpint (((MwSetupStep *) recorded->pdata[0])->state, ==, MW_SETUP_STEP_UNDONE);
      g_assert_cmpint (((MwSetupStep *) recorded->pdata[1])->state, ==, MW_SETUP_STEP_FAILED);

      /* cancelled before it starts: neither run nor undone */
      g_clear_error (&error);
      g_string_truncate (log, 0);
      g_cancellable_cancel (cancellable);
      {
        MwSetupAction action = { "three", fake_run, fake_undo };
        FakeStep three = { log, "three", TRUE, FALSE, 0 };

        g_assert_false (mw_setup_journal_run (journal, &action, &three, NULL, cancellable,
                                              &error));
      }
      g_assert_cmpstr (log->str, ==, "");
    }
}

/* Pools against the demo nodes (each connection is a private instance, so nothing is shared
 * and nothing leaks between tests). */

static void
test_pools_conflict (void)
{
  g_autofree char *a = demo_uri ("hosta");
  g_autofree char *b = demo_uri ("hostb");
  /* same name as the demo's "shared", other source: reported, not overwritten */
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("other-nas", "/export/x", "10.0.0.0/8", "shared",
                                               "/var/lib/libvirt/images/shared");
  g_autoptr(MwPoolSetupResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = mw_nfs_setup_pools (plan, a, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (mw_pool_setup_result_ok (result));
  g_assert_nonnull (strstr (result->error_a, "hosta: look for a pool of that name: a pool named "
                                             "“shared” already exists with source "
                                             "nas.demo.example:/export/vm-images"));
  g_assert_nonnull (strstr (result->error_b, "hostb: look for a pool of that name:"));
  g_assert_nonnull (strstr (result->error_b, "left as it is"));
  /* only the lookup ran on each host */
  g_assert_cmpuint (result->steps->len, ==, 2);
}

static void
test_pools_new (void)
{
  g_autofree char *a = demo_uri ("hosta");
  g_autofree char *b = demo_uri ("hostb");
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("nas.demo.example", "/export/new", "10.0.0.0/8",
                                               NULL, NULL);
  g_autoptr(MwPoolSetupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  result = mw_nfs_setup_pools (plan, a, b, NULL, &error);
  g_assert_no_error (error);
  text = mw_pool_setup_result_to_string (result);
  g_test_message ("%s", text);
  /* the test driver defines, builds and starts; define..start on both */
  g_assert_null (result->error_a);
  g_assert_null (result->error_b);
  g_assert_cmpuint (result->steps->len, ==, 10);
  g_assert_cmpint (((MwSetupStep *) result->steps->pdata[4])->state, ==, MW_SETUP_STEP_DONE);
  /* two private test instances share nothing: the cross-host check must say so */
  g_assert_false (result->verified);
  g_assert_nonnull (strstr (result->verify_error, "hostb: see the test volume:"));
  /* "shared" has the same name and path on both demo nodes, but nothing made on one is seen on
   * the other: it is not offered as shared storage (the lab's, which is, is offered there). */
  g_assert_null (result->fallback_pool);
  g_assert_null (result->fallback_path);
}


/* The server side over a fake ssh: a failing exportfs undoes the directory and the exports line,
 * newest first, and the error names the server and the step. */
static void
test_server_rollback (void)
{
  const char *fake = g_getenv ("MW_SSH");
  g_autofree char *log_path = g_strdup_printf ("%s.log", fake);
  g_autofree char *script = NULL;
  g_autofree char *log = NULL;
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("nas", "/srv/vm store", "10.78.0.0/24", NULL,
                                               NULL);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) commands = NULL;

  g_free (plan->export_path);
  plan->export_path = g_strdup ("/srv/vmstore");
  /* The one ssh argv (mw_ssh_build_argv): -l USER, pinned host keys, then -- HOST COMMAND,
   * the command wrapped as `setsid -w sh -c COMMAND mw-step-TOKEN` (mw-setup-host.h). */
  script = g_strdup_printf ("#!/bin/sh\nuser= strict=\n"
                            "while [ \"$1\" != -- ]; do\n"
                            "  [ \"$1\" = -l ] && user=$2\n"
                            "  [ \"$1\" = -oStrictHostKeyChecking=yes ] && strict=1\n"
                            "  shift\ndone\n"
                            "[ \"$2\" = nas ] && [ \"$user\" = root ] && [ -n \"$strict\" ] || exit 255\n"
                            "shift 2\n"
                            "eval \"set -- $1\"\n"
                            "[ \"$1 $2 $3 $4\" = 'setsid -w sh -c' ] && [ \"${6#mw-step-}\" != \"$6\" ] "
                            "|| exit 254\n"
                            "shift 4\n"
                            "printf '%%s\\n--\\n' \"$1\" >> %s\n"
                            "case \"$1\" in\n"
                            "  *'exportfs -r && echo changed'*) echo 'exportfs: command not found' "
                            ">&2; exit 127;;\n"
                            "  *'mkdir -p'*|*'grep -qxF'*) echo changed;;\n"
                            "esac\n", log_path);
  g_assert_true (g_file_set_contents (fake, script, -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);

  g_assert_false (mw_nfs_apply_server (plan, NULL, &steps, &error));
  g_assert_cmpstr (error->message, ==,
                   "nas: reload the exports (exportfs -r): exportfs: command not found");
  g_assert_cmpuint (steps->len, ==, 3);
  g_assert_cmpint (((MwSetupStep *) steps->pdata[0])->state, ==, MW_SETUP_STEP_UNDONE);
  g_assert_cmpint (((MwSetupStep *) steps->pdata[1])->state, ==, MW_SETUP_STEP_UNDONE);
  g_assert_cmpint (((MwSetupStep *) steps->pdata[2])->state, ==, MW_SETUP_STEP_FAILED);

  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  commands = g_strsplit (log, "\n--\n", -1);
  g_assert_cmpuint (g_strv_length (commands), ==, 7);
  g_assert_nonnull (strstr (commands[0], "mkdir -p /srv/vmstore"));
  g_assert_nonnull (strstr (commands[1], "l='/srv/vmstore 10.78.0.0/24(rw,sync,"
                                         "no_subtree_check,no_root_squash)'"));
  g_assert_nonnull (strstr (commands[2], "exportfs -r"));
  /* undone newest first: the line (through the line editor: a checked temporary file renamed
   * over /etc/exports, then the exports re-read only if that worked), then the directory */
  g_assert_nonnull (strstr (commands[3], "f=/etc/exports;"));
  g_assert_nonnull (strstr (commands[3], "grep -vxF -e \"$l\""));
  g_assert_nonnull (strstr (commands[3], "mv -f -- \"$t\" \"$f\""));
  g_assert_true (g_str_has_suffix (commands[3], ") && exportfs -r"));
  g_assert_cmpstr (commands[4], ==, "[ ! -d /srv/vmstore ] || rmdir /srv/vmstore");
  /* and the steps' marks go, in one call (mw-nfs-server.c) */
  g_assert_true (g_str_has_prefix (commands[5], "rm -f \"$HOME\"/.mw-setup-"));
  g_unlink (log_path);
  g_unlink (fake);
}

/* A cancel stops the step that runs, on the host too: killing ssh here leaves a remote command
 * running (no terminal, no hang-up), so its process group is killed over a second ssh and
 * waited for; only then does the step's undo run, and only then is the step recorded as failed.
 * The "ssh" runs the commands here, the step's in a session of its own as on a real host, where
 * the local kill of ssh does not reach it. */

typedef struct
{
  const char *pid_file;
  GCancellable *cancellable;
} CancelLater;

static gpointer
cancel_when_started_thread (gpointer data)
{
  CancelLater *later = data;

  for (guint i = 0; i < 200 && !g_file_test (later->pid_file, G_FILE_TEST_EXISTS); i++)
    g_usleep (50 * 1000);
  g_usleep (100 * 1000);
  g_cancellable_cancel (later->cancellable);
  return NULL;
}

static void
test_server_cancel (void)
{
  const char *fake = g_getenv ("MW_SSH");
  g_autofree char *pid_file = g_strdup_printf ("%s.pids", fake);
  g_autofree char *undo_file = g_strdup_printf ("%s.undo", fake);
  g_autofree char *script = NULL;
  g_autofree char *pids = NULL;
  g_autofree char *undo = NULL;
  g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new ("nas", "/srv/vmstore", "10.78.0.0/24", NULL,
                                               NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  CancelLater later = { pid_file, cancellable };
  GThread *thread;
  int leader_pid = 0;
  int child_pid = 0;
  gint64 t0 = g_get_monotonic_time ();

  /* The step (mkdir): its wrapper as sent, with a long child instead, both pids written down.
   * Its undo (rmdir): which of those still ran then, and a line saying it ran. Anything else
   * (the stop over ssh) runs as sent. */
  script = g_strdup_printf ("#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done\nshift 2\n"
                            "case \"$1\" in\n"
                            "  *'mkdir -p'*) eval \"set -- $1\"\n"
                            "    exec setsid -w sh -c 'sleep 300 & echo \"$$ $!\" > %s.tmp; "
                            "mv %s.tmp %s; wait' \"$6\";;\n"
                            "  *rmdir*) for p in $(cat %s); do\n"
                            "      s=$(cat /proc/$p/stat 2>/dev/null) || continue\n"
                            "      case \"${s##*) }\" in Z*) ;; *) echo \"alive $p\";; esac\n"
                            "    done > %s.tmp; echo undone >> %s.tmp; mv %s.tmp %s;;\n"
                            "  *) exec sh -c \"$1\";;\n"
                            "esac\n", pid_file, pid_file, pid_file, pid_file, undo_file,
                            undo_file, undo_file, undo_file);
  g_assert_true (g_file_set_contents (fake, script, -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);

  thread = g_thread_new ("cancel", cancel_when_started_thread, &later);
  g_assert_false (mw_nfs_apply_server (plan, cancellable, &steps, &error));
  g_thread_join (thread);

  g_assert_cmpfloat ((g_get_monotonic_time () - t0) / 1e6, <, 20.0);
  g_assert_nonnull (strstr (error->message, "nas: create the export directory: "));
  g_assert_cmpuint (steps->len, ==, 1);
  g_assert_cmpint (((MwSetupStep *) steps->pdata[0])->state, ==, MW_SETUP_STEP_FAILED);
  g_assert_true (g_file_get_contents (pid_file, &pids, NULL, NULL));
  g_assert_cmpint (sscanf (pids, "%d %d", &leader_pid, &child_pid), ==, 2);
  /* gone when the step was over, without waiting here */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/stat", i == 0 ? leader_pid : child_pid);
      g_autofree char *stat = NULL;

      if (g_file_get_contents (path, &stat, NULL, NULL))
        g_assert_cmpint (strrchr (stat, ')')[2], ==, 'Z');
    }
  /* the undo ran, and nothing of the step ran any more when it did */
  g_assert_true (g_file_get_contents (undo_file, &undo, NULL, NULL));
  g_assert_cmpstr (undo, ==, "undone\n");
  g_unlink (pid_file);
  g_unlink (undo_file);
  g_unlink (fake);
}

/* Networks */

static void
test_network_xml (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigNetwork) network = mw_bridge_build_network_config ("lan<1>", "br1", &error);
  g_autofree char *xml = NULL;

  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (network));
  g_assert_nonnull (strstr (xml, "<name>lan&lt;1&gt;</name>"));
  g_assert_nonnull (strstr (xml, "<forward mode=\"bridge\"/>"));
  g_assert_nonnull (strstr (xml, "<bridge name=\"br1\"/>"));

  g_assert_null (mw_bridge_build_network_config ("lan", "br 1", &error));
  g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID);
}

static void
test_ip_json (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = mw_bridge_parse_ip_json ("[{\"ifindex\":4,\"ifname\":\"br1\"},"
                                                 "{\"ifindex\":3,\"ifname\":\"br0\"}]", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "br0");
  g_assert_cmpstr (names[1], ==, "br1");
}

static void
test_survey_demo (void)
{
  g_autofree char *a = demo_uri ("hosta");
  g_autofree char *b = demo_uri ("hostb");
  g_autoptr(MwHostNetworks) networks = mw_host_networks_gather (a, NULL, NULL);
  g_autoptr(GPtrArray) nics = NULL;
  g_autoptr(GError) error = NULL;
  const MwNetworkInfo *info;

  g_assert_null (networks->error);
  g_assert_cmpstr (networks->label, ==, "hosta");
  g_assert_cmpstr (networks->bridges_from, ==, "libvirt");
  g_assert_true (mw_host_networks_has_bridge (networks, "br0"));
  info = mw_host_networks_find_network (networks, "br0");
  g_assert_nonnull (info);
  g_assert_cmpstr (info->forward_mode, ==, "bridge");
  g_assert_cmpstr (info->bridge, ==, "br0");

  nics = mw_domain_nics_gather (a, "db01", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nics->len, >=, 1);
  g_assert_false (((MwDomainNic *) nics->pdata[0])->is_network);
  g_assert_cmpstr (((MwDomainNic *) nics->pdata[0])->source, ==, "br0");
  g_assert_true (mw_host_networks_provides (networks, nics->pdata[0]));
  (void) b;
}


static void
test_bridge_commands (void)
{
  g_autoptr(MwBridgePlan) plan = mw_bridge_plan_new ("root@hostb", "br1", "eth0", 30);
  g_autofree char *nm = mw_bridge_nm_apply_command (plan);
  g_auto(GStrv) argv = mw_bridge_script_argv (plan, "tok");
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_bridge_plan_validate (plan, NULL));
  g_assert_true (g_str_has_prefix (nm, "sh -c '"));
  g_assert_true (g_str_has_suffix (nm, "' mw-bridge br1 eth0"));
  g_assert_nonnull (strstr (nm, "bridge-slave"));
  g_assert_cmpstr (argv[0], ==, "sh");
  g_assert_cmpstr (argv[2], ==, mw_bridge_get_script ());
  g_assert_cmpstr (argv[4], ==, "br1");
  g_assert_cmpstr (argv[5], ==, "eth0");
  g_assert_cmpstr (argv[6], ==, "30");
  g_assert_cmpstr (argv[8], ==, MW_BRIDGE_STATE_DIR);

  /* names that a shell or ip would read as something else are refused */
  g_free (plan->bridge);
  plan->bridge = g_strdup ("br1;reboot");
  g_assert_false (mw_bridge_plan_validate (plan, &error));
  g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID);
  g_clear_error (&error);
  g_free (plan->bridge);
  plan->bridge = g_strdup ("eth0");
  g_assert_false (mw_bridge_plan_validate (plan, &error));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fake_ssh = NULL;

  g_test_init (&argc, &argv, NULL);
  /* before any thread exists: the tests write their own "ssh" stand-in here */
  fake_ssh = g_strdup_printf ("%s/mwtest-fake-ssh-%d", g_get_tmp_dir (), (int) getpid ());
  g_setenv ("MW_SSH", fake_ssh, TRUE);
  mw_libvirt_init ();

  g_test_add_func ("/mw/setup/pool-xml", test_pool_xml);
  g_test_add_func ("/mw/setup/exports-and-render", test_exports_and_render);
  g_test_add_func ("/mw/setup/plan-warnings", test_plan_warnings);
  g_test_add_func ("/mw/setup/journal-rollback", test_journal_rollback);
  g_test_add_func ("/mw/setup/journal-stopped", test_journal_stopped);
  g_test_add_func ("/mw/setup/server-rollback", test_server_rollback);
  g_test_add_func ("/mw/setup/server-cancel", test_server_cancel);
  g_test_add_func ("/mw/setup/pools-conflict", test_pools_conflict);
  g_test_add_func ("/mw/setup/pools-new", test_pools_new);
  g_test_add_func ("/mw/setup/network-xml", test_network_xml);
  g_test_add_func ("/mw/setup/ip-json", test_ip_json);
  g_test_add_func ("/mw/setup/survey-demo", test_survey_demo);
  g_test_add_func ("/mw/setup/bridge-commands", test_bridge_commands);

  return g_test_run ();
}
