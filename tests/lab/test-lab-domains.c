/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-lab-domains: what the domain lists show after real migrations (issue #10: a guest that
 * left a host stayed in that host's list, "Shut off", while `virsh list --all` there was empty).
 *
 * Two MwConnections, one per lab host, as the main window holds them, watch MwMigrationJobs
 * move the lab guest:
 *   offline, hosta → hostb → hosta (the guest shut off): libvirt sends the source no event at
 *   all when the definition leaves, so only the re-read that the wizard's plan asks for when the
 *   job finishes (mw_connection_reload) can take it off the source's list;
 *   live, hosta → hostb → hosta: the source sends Stopped/Migrated and no Undefined event; the
 *   list must lose the guest by itself (the reload that event triggers, and its recheck).
 * Each time the destination's list must show the guest and the source's must not, within a few
 * seconds. Whether the source's list still showed the guest when the job finished (before any
 * reload) is printed as a "# FIGURE ghost_before_reload=yes|no" line.
 *
 * Expects the lab guest running on hosta; leaves it running there. Needs a lab that is up;
 * MW_LAB_SCRIPT names it. */

#include "config.h"

#include <unistd.h>

#include <gio/gio.h>

#include "mw-connection.h"
#include "mw-libvirt.h"
#include "mw-migration-job.h"

#define GUEST_NAME "labguest"
#define FINISH_WITHIN_S 120
#define LIST_WITHIN_S 5
#define BOOT_WITHIN_S 120

static const char *lab_script;
static const char *host_names[2] = { "hosta", "hostb" };
static MwConnection *connections[2];

static char *
lab_run (const char *arg1,
         const char *arg2,
         const char *arg3,
         const char *arg4)
{
  const char *argv[] = { lab_script, arg1, arg2, arg3, arg4, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s %s %s failed: %s%s", lab_script, arg1, arg2 ? arg2 : "", out, err);
  return g_strstrip (g_steal_pointer (&out));
}

static gboolean
on_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until *flag or the deadline; FALSE on timeout. */
static gboolean
wait_flag (const gboolean *flag,
           guint           seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, on_wake_cb, NULL);

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
  return *flag;
}

static gboolean
listed_as_expected (guint from,
                    guint to)
{
  return mw_connection_find_domain (connections[from], GUEST_NAME) == NULL
         && mw_connection_find_domain (connections[to], GUEST_NAME) != NULL;
}

/* Iterates until only the destination lists the guest; FALSE after LIST_WITHIN_S. */
static gboolean
wait_listed (guint from,
             guint to)
{
  gint64 deadline = g_get_monotonic_time () + LIST_WITHIN_S * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, on_wake_cb, NULL);

  while (!listed_as_expected (from, to) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
  return listed_as_expected (from, to);
}

static void
on_finished_cb (MwMigrationJob *job,
                gpointer        user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_connected_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_connection_connect_finish (MW_CONNECTION (source_object), result, &error));
  (*(guint *) user_data)++;
}

/* Moves the guest from → to with a job; reload as the wizard's plan does when the job
 * finishes, or rely on the lists' events alone. */
static void
move (guint            from,
      guint            to,
      MwMigrationMode  mode,
      gboolean         reload)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(MwMigrationJob) job = NULL;
  const MwMigrationJobResult *result;
  gboolean finished = FALSE;
  gboolean ghost;

  options->mode = mode;
  job = mw_migration_job_new (mw_connection_get_uri (connections[from]),
                              mw_connection_get_uri (connections[to]), GUEST_NAME, options);
  g_signal_connect (job, "finished", G_CALLBACK (on_finished_cb), &finished);
  mw_migration_job_start (job);
  g_assert_true (wait_flag (&finished, FINISH_WITHIN_S));

  result = mw_migration_job_get_result (job);
  g_test_message ("%s", result->summary);
  g_assert_cmpint (result->state, ==, MW_MIGRATION_JOB_STATE_SUCCEEDED);
  g_assert_false (result->defined_on_source);

  ghost = mw_connection_find_domain (connections[from], GUEST_NAME) != NULL;
  g_print ("# FIGURE %s %s->%s ghost_before_reload=%s\n",
           mode == MW_MIGRATION_MODE_OFFLINE ? "offline" : "live", host_names[from],
           host_names[to], ghost ? "yes" : "no");
  if (reload)
    {
      mw_connection_reload (connections[from]);
      mw_connection_reload (connections[to]);
    }

  g_assert_true (wait_listed (from, to));
}

static void
test_offline (void)
{
  g_free (lab_run ("virsh", "hosta", "destroy", GUEST_NAME));
  move (0, 1, MW_MIGRATION_MODE_OFFLINE, TRUE);
  move (1, 0, MW_MIGRATION_MODE_OFFLINE, TRUE);
  g_free (lab_run ("virsh", "hosta", "start", GUEST_NAME));
}

static void
test_live (void)
{
  g_autofree char *uptime = NULL;
  gint64 deadline = g_get_monotonic_time () + BOOT_WITHIN_S * G_USEC_PER_SEC;
  const char *argv[] = { lab_script, "guest", "uptime", NULL };
  int status = -1;

  /* The guest booted by test_offline answers before it moves. */
  while (status != 0 && g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&uptime, g_free);
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &uptime,
                    NULL, &status, NULL);
      if (status != 0)
        g_usleep (G_USEC_PER_SEC);
    }
  g_assert_cmpint (status, ==, 0);

  move (0, 1, MW_MIGRATION_MODE_LIVE, FALSE);
  move (1, 0, MW_MIGRATION_MODE_LIVE, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_connected = 0;
  int rc;

  g_test_init (&argc, &argv, NULL);
  lab_script = g_getenv ("MW_LAB_SCRIPT");
  if (geteuid () != 0 || lab_script == NULL)
    {
      g_print ("1..0 # SKIP needs root and MW_LAB_SCRIPT\n");
      return 77;
    }
  mw_libvirt_init ();

  text = lab_run ("uris", NULL, NULL, NULL);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  for (guint i = 0; i < 2; i++)
    {
      connections[i] = mw_connection_new (lines[i]);
      mw_connection_connect_async (connections[i], NULL, on_connected_cb, &n_connected);
    }
  while (n_connected < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (mw_connection_find_domain (connections[0], GUEST_NAME));

  g_test_add_func ("/mw/lab/domains/offline-there-and-back", test_offline);
  g_test_add_func ("/mw/lab/domains/live-there-and-back", test_live);
  rc = g_test_run ();

  for (guint i = 0; i < 2; i++)
    {
      mw_connection_disconnect (connections[i]);
      g_clear_object (&connections[i]);
    }
  return rc;
}
