/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-lab-migrate: live migration of the lab guest hosta → hostb → hosta through mw-migration,
 * over the qemu+ssh URIs the desktop app uses, from the root namespace.
 *
 * hosta → hostb is client-driven (virDomainMigrate3), hostb → hosta peer-to-peer
 * (virDomainMigrateToURI3); then a capped migration of a dirtying guest is aborted from another
 * thread (virDomainAbortJob) and must leave the guest running on hosta.
 *
 * Needs a lab that is up (tests/lab/run-lab-suite brings it up first); MW_LAB_SCRIPT names the
 * mig-wizard-lab to use. Checked after each migration: the guest runs on exactly one host, is
 * persistent there and gone from the other, its boot_id is unchanged and its uptime went on
 * (read from its control page), and the client's pinger recorded the gap. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-migration.h"
#include "mw-migration-options.h"

#define GUEST_NAME "labguest"
#define GUEST_IP "10.77.0.10"

typedef struct
{
  char *uri[2];              /* hosta, hostb */
  virConnectPtr conn[2];
  const char *lab;           /* the mig-wizard-lab script */
} Lab;

static Lab lab;

/* ---- helpers: the lab script, the guest's control page ------------------------------------- */

static char *
lab_run (const char *arg1,
         const char *arg2,
         const char *arg3)
{
  const char *argv[] = { lab.lab, arg1, arg2, arg3, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s %s %s failed: %s%s", lab.lab, arg1, arg2 ? arg2 : "", out, err);
  return g_strstrip (g_steal_pointer (&out));
}

/* The lab's own verdict on the guest: it answers, has the boot id it had before, logged no oops,
 * and no page its dirtier wrote was lost. lab_run fails the test when the check says no. */
static void
assert_guest_survived (const char *boot_id)
{
  g_autofree char *verdict = lab_run ("guest", "check", boot_id);

  g_test_message ("guest check: %s", verdict);
  g_assert_true (g_str_has_prefix (verdict, "survived=yes"));
}

/* GET http://GUEST_IP/path from this (the root) namespace, never through a proxy. */
static char *
guest_get (const char *path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  GOutputStream *out;
  GInputStream *in;
  char buf[1024];
  gssize n;
  const char *body;

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, GUEST_IP, 80, NULL, &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: " GUEST_IP "\r\n\r\n", path);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, &error)) > 0)
    g_string_append_len (reply, buf, n);
  g_assert_no_error (error);
  body = strstr (reply->str, "\r\n\r\n");
  g_assert_nonnull (body);
  return g_strstrip (g_strdup (body + 4));
}

static double
guest_uptime (void)
{
  g_autofree char *s = guest_get ("/cgi-bin/uptime");

  return g_ascii_strtod (s, NULL);
}

static gboolean
ping_once (void)
{
  const char *argv[] = { "ping", "-c", "1", "-W", "2", "-q", GUEST_IP, NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/* "replies=N lost=N max_gap_s=F gap_at=F gap_after_seq=N" → a table. */
static GHashTable *
parse_kv (const char *line)
{
  GHashTable *kv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) words = g_strsplit_set (line, " \n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      char *eq = strchr (words[i], '=');

      if (eq != NULL)
        g_hash_table_insert (kv, g_strndup (words[i], eq - words[i]), g_strdup (eq + 1));
    }
  return kv;
}

/* ---- libvirt in workers --------------------------------------------------------------------- */

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  virConnectPtr conn = virConnectOpen (task_data);
  GError *error = NULL;

  if (conn == NULL)
    {
      mw_libvirt_set_error (&error, task_data);
      g_task_return_error (task, error);
      return;
    }
  /* Migration can take long; keepalive notices a dead peer. */
  virConnectSetKeepAlive (conn, 5, 6);
  g_task_return_pointer (task, conn, NULL);
}

static virConnectPtr
open_connection (const char *uri)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;

  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_task_run_in_thread_sync (task, open_thread);
  conn = g_task_propagate_pointer (task, &error);
  g_assert_no_error (error);
  return conn;
}

typedef struct
{
  gboolean exists;
  gboolean active;
  gboolean persistent;
} DomainState;

static DomainState
domain_state (virConnectPtr conn)
{
  DomainState st = { FALSE, FALSE, FALSE };
  virDomainPtr dom = virDomainLookupByName (conn, GUEST_NAME);

  if (dom == NULL)
    {
      virErrorPtr e = virGetLastError ();

      g_assert_nonnull (e);
      g_assert_cmpint (e->code, ==, VIR_ERR_NO_DOMAIN);
      virResetLastError ();
      return st;
    }
  st.exists = TRUE;
  st.active = virDomainIsActive (dom) == 1;
  st.persistent = virDomainIsPersistent (dom) == 1;
  virDomainFree (dom);
  return st;
}

/* ---- the test cases --------------------------------------------------------------------------- */

static void
test_guest_answers (void)
{
  g_assert_true (ping_once ());
}

typedef struct
{
  gboolean finished;
  GError *error;
} MigrateResult;

static void
on_migrate_result_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  MigrateResult *res = user_data;

  mw_migration_migrate_finish (result, &res->error);
  res->finished = TRUE;
}

/* connection: client-driven (this process talks to both libvirtds) or peer-to-peer (hosta's
 * libvirtd opens qemu+ssh://root@hostb/system itself, resolved inside the lab's hosts). */
static void
check_migration (int                   from,
                 int                   to,
                 MwMigrationConnection connection)
{
  static const char *names[] = { "hosta", "hostb" };
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autofree char *boot_id_before = NULL;
  g_autofree char *boot_id_after = NULL;
  g_autofree char *stats = NULL;
  g_autoptr(GHashTable) kv = NULL;
  MigrateResult res = { FALSE, NULL };
  DomainState src, dst;
  double uptime_before, uptime_after, gap;
  gint64 t0, t1;

  /* Live, persistent on the destination, undefined on the source (the defaults); never unsafe:
   * the lab lists its shared directory in qemu.conf's shared_filesystems. */
  g_assert_cmpint (options->mode, ==, MW_MIGRATION_MODE_LIVE);
  g_assert_cmpint (options->persistence, ==, MW_MIGRATION_PERSISTENCE_MOVE);
  g_assert_false (options->unsafe);
  options->connection = connection;
  g_assert_true (domain_state (lab.conn[from]).active);

  boot_id_before = guest_get ("/cgi-bin/bootid");
  uptime_before = guest_uptime ();
  g_free (lab_run ("pinger", "start", NULL));
  g_usleep (G_USEC_PER_SEC);

  t0 = g_get_monotonic_time ();
  mw_migration_migrate_async (lab.conn[from], GUEST_NAME, lab.conn[to], NULL, options, NULL,
                              on_migrate_result_cb, &res);
  while (!res.finished)
    g_main_context_iteration (NULL, TRUE);
  t1 = g_get_monotonic_time ();
  g_assert_no_error (res.error);
  g_test_message ("%s -> %s (%s): migration took %.2f s", names[from], names[to],
                  connection == MW_MIGRATION_CONNECTION_CLIENT ? "client-driven" : "peer-to-peer",
                  (t1 - t0) / 1e6);

  /* Exactly one host runs it, persistently; the other has forgotten it. */
  src = domain_state (lab.conn[from]);
  dst = domain_state (lab.conn[to]);
  g_assert_false (src.exists);
  g_assert_true (dst.exists);
  g_assert_true (dst.active);
  g_assert_true (dst.persistent);

  /* Let the pinger see the guest answer again on its new host. */
  for (int i = 0; i < 50 && !ping_once (); i++)
    ;
  g_usleep (G_USEC_PER_SEC);
  stats = lab_run ("pinger", "stop", NULL);
  g_test_message ("pinger: %s", stats);
  kv = parse_kv (stats);
  g_assert_true (g_hash_table_contains (kv, "max_gap_s"));
  gap = g_ascii_strtod (g_hash_table_lookup (kv, "max_gap_s"), NULL);
  g_assert_cmpint (atoi (g_hash_table_lookup (kv, "replies")), >, 10);
  /* A gap was recorded, and it is an outage of a live migration, not a reboot. */
  g_assert_cmpfloat (gap, >, 0.0);
  g_assert_cmpfloat (gap, <, 15.0);

  boot_id_after = guest_get ("/cgi-bin/bootid");
  uptime_after = guest_uptime ();
  g_test_message ("guest uptime %.2f -> %.2f s, boot_id %s", uptime_before, uptime_after,
                  boot_id_after);
  g_assert_cmpstr (boot_id_after, ==, boot_id_before);
  g_assert_cmpfloat (uptime_after, >, uptime_before);
  assert_guest_survived (boot_id_before);
  /* Machine-readable line for the suite's report. */
  g_print ("# FIGURE %s->%s migration_s=%.3f ping_gap_s=%.3f lost=%s\n", names[from],
           names[to], (t1 - t0) / 1e6, gap, (char *) g_hash_table_lookup (kv, "lost"));
}

static void
test_migrate_a_to_b (void)
{
  check_migration (0, 1, MW_MIGRATION_CONNECTION_CLIENT);
}

static void
test_migrate_b_to_a (void)
{
  check_migration (1, 0, MW_MIGRATION_CONNECTION_PEER_TO_PEER);
}

typedef struct
{
  virConnectPtr conn;
  GError *error;
} AbortData;

/* Another thread, as the app's Stop button would: abort the job a while after it started. */
static gpointer
abort_later_thread (gpointer data)
{
  AbortData *ad = data;

  g_usleep (3 * G_USEC_PER_SEC);
  mw_migration_abort (ad->conn, GUEST_NAME, NULL, &ad->error);
  return NULL;
}

static void
test_migrate_abort (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autofree char *boot_id_before = NULL;
  g_autofree char *boot_id_after = NULL;
  MigrateResult res = { FALSE, NULL };
  AbortData ad = { lab.conn[0], NULL };
  GThread *thread;
  DomainState src, dst;

  /* Dirtying faster than a capped link can move: it cannot converge before the abort. */
  options->bandwidth_mib_s = 8;
  boot_id_before = guest_get ("/cgi-bin/bootid");
  g_free (guest_get ("/cgi-bin/dirty?64"));

  mw_migration_migrate_async (lab.conn[0], GUEST_NAME, lab.conn[1], NULL, options, NULL,
                              on_migrate_result_cb, &res);
  thread = g_thread_new ("abort", abort_later_thread, &ad);
  while (!res.finished)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_assert_no_error (ad.error);
  g_assert_nonnull (res.error);
  g_test_message ("aborted migration reported: %s", res.error->message);
  g_clear_error (&res.error);

  /* Checked while the dirtier still runs: no page it wrote was lost. */
  assert_guest_survived (boot_id_before);
  g_free (guest_get ("/cgi-bin/dirty?0"));
  src = domain_state (lab.conn[0]);
  dst = domain_state (lab.conn[1]);
  g_assert_true (src.active);
  g_assert_true (src.persistent);
  g_assert_false (dst.exists);
  boot_id_after = guest_get ("/cgi-bin/bootid");
  g_assert_cmpstr (boot_id_after, ==, boot_id_before);
}

static char *
first_line (const char *text,
            guint       index)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return index < g_strv_length (lines) ? g_strdup (lines[index]) : NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *uris = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  lab.lab = g_getenv ("MW_LAB_SCRIPT");
  if (geteuid () != 0)
    {
      g_test_skip ("the lab needs root");
      g_print ("1..0 # SKIP the lab needs root\n");
      return 77;
    }
  if (lab.lab == NULL || !g_file_test (lab.lab, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("1..0 # SKIP MW_LAB_SCRIPT does not name mig-wizard-lab\n");
      return 77;
    }

  mw_libvirt_init ();
  uris = lab_run ("uris", NULL, NULL);
  lab.uri[0] = first_line (uris, 0);
  lab.uri[1] = first_line (uris, 1);
  g_assert_nonnull (lab.uri[0]);
  g_assert_nonnull (lab.uri[1]);
  g_assert_true (g_str_has_prefix (lab.uri[0], "qemu+ssh://"));
  lab.conn[0] = open_connection (lab.uri[0]);
  lab.conn[1] = open_connection (lab.uri[1]);

  g_test_add_func ("/mw/lab/guest-answers", test_guest_answers);
  g_test_add_func ("/mw/lab/migrate/hosta-to-hostb", test_migrate_a_to_b);
  g_test_add_func ("/mw/lab/migrate/hostb-to-hosta", test_migrate_b_to_a);
  g_test_add_func ("/mw/lab/migrate/abort", test_migrate_abort);
  rc = g_test_run ();

  virConnectClose (lab.conn[0]);
  virConnectClose (lab.conn[1]);
  g_free (lab.uri[0]);
  g_free (lab.uri[1]);
  return rc;
}
