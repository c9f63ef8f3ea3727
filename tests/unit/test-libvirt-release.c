/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-libvirt-release.c: libvirt objects let go of in destroy notifies and finalizers are
 * released in a worker thread, never on the main one (the last virConnectClose of a remote
 * connection is an RPC that can block for as long as the host takes to answer).
 *
 * This executable defines virConnectClose itself: the core library it links calls this one,
 * which counts where the last reference of a connection went, then calls libvirt's.
 */

#define _GNU_SOURCE
#include "config.h"

#include <dlfcn.h>

#include "mw-libvirt.h"
#include "mw-migration.h"
#include "mw-preflight.h"
#include "mw-test-core.h"

#define DEFAULT_URI "test:///default"

static GThread *main_thread;
static int (*real_close) (virConnectPtr);   /* libvirt's, set in main () */
static gint n_last_on_main;
static gint n_last_in_workers;

int
virConnectClose (virConnectPtr conn)
{
  int refs = real_close (conn);

  if (refs == 0)
    g_atomic_int_inc (g_thread_self () == main_thread ? &n_last_on_main : &n_last_in_workers);
  return refs;
}

static void
reset_counts (void)
{
  g_atomic_int_set (&n_last_on_main, 0);
  g_atomic_int_set (&n_last_in_workers, 0);
}

static void
close_connection (gpointer conn)
{
  virConnectClose (conn);
}

static void
test_in_worker (void)
{
  virConnectPtr conn = virConnectOpen (DEFAULT_URI);

  g_assert_nonnull (conn);
  reset_counts ();
  mw_libvirt_release_in_worker (close_connection, conn);
  mw_test_wait_until (g_atomic_int_get (&n_last_in_workers) == 1);
  g_assert_cmpint (g_atomic_int_get (&n_last_on_main), ==, 0);

  /* Nothing to release: nothing happens. */
  mw_libvirt_release_in_worker (close_connection, NULL);
  mw_test_iterate_for (50);
  g_assert_cmpint (g_atomic_int_get (&n_last_in_workers), ==, 1);
}

/* Keeps the result, as a caller may: the task then goes when the caller drops it. */
static void
on_migrate_done_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **kept = user_data;
  g_autoptr(GError) error = NULL;

  /* The test driver refuses to migrate; what matters here is what the task lets go of. */
  g_assert_false (mw_migration_migrate_finish (result, &error));
  g_assert_nonnull (error);
  *kept = g_object_ref (result);
}

/* The migration's task holds its own references to both connections; when the caller closed
 * its own meanwhile (the job went), the task's are the last, and the task goes on the main
 * thread (here deterministically: the test drops the result last). */
static void
test_migration_task (void)
{
  virConnectPtr sconn = virConnectOpen (DEFAULT_URI);
  virConnectPtr dconn = virConnectOpen (DEFAULT_URI);
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  GAsyncResult *kept = NULL;

  g_assert_nonnull (sconn);
  g_assert_nonnull (dconn);
  reset_counts ();
  mw_migration_migrate_async (sconn, "test", dconn, DEFAULT_URI, options, NULL,
                              on_migrate_done_cb, &kept);
  /* Before the main loop runs, so before the callback: not the last references. */
  g_assert_cmpint (virConnectClose (sconn), >, 0);
  g_assert_cmpint (virConnectClose (dconn), >, 0);

  /* Once the worker has let go of the task too, the test's is the last reference. */
  mw_test_wait_until (kept != NULL && G_OBJECT (kept)->ref_count == 1);
  g_assert_cmpint (g_atomic_int_get (&n_last_in_workers), ==, 0);
  g_object_unref (kept);
  g_assert_cmpint (g_atomic_int_get (&n_last_on_main), ==, 0);

  mw_test_wait_until (g_atomic_int_get (&n_last_in_workers) == 2);
  g_assert_cmpint (g_atomic_int_get (&n_last_on_main), ==, 0);
}

/* A finished pre-flight dropped on the main thread: its two connections close in a worker. */
static void
test_preflight_dropped (void)
{
  MwPreflight *preflight = mw_preflight_new (DEFAULT_URI, DEFAULT_URI, "test", NULL);

  mw_preflight_run (preflight);
  mw_test_wait_until (!mw_preflight_get_running (preflight));
  reset_counts ();
  g_assert_finalize_object (preflight);
  mw_test_wait_until (g_atomic_int_get (&n_last_in_workers) == 2);
  g_assert_cmpint (g_atomic_int_get (&n_last_on_main), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();
  main_thread = g_thread_self ();
  *(void **) &real_close = dlsym (RTLD_NEXT, "virConnectClose");
  g_assert_nonnull (real_close);

  g_test_add_func ("/mw/libvirt-release/in-worker", test_in_worker);
  g_test_add_func ("/mw/libvirt-release/migration-task", test_migration_task);
  g_test_add_func ("/mw/libvirt-release/preflight-dropped", test_preflight_dropped);

  return g_test_run ();
}
