/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-connection-list.c: the saved connections and their GSettings persistence.
 *
 * Settings live in a keyfile in a temporary directory, through the real GSettings machinery
 * and the compiled schema (GSETTINGS_SCHEMA_DIR); a fresh backend on the same file proves that
 * what was written is what is read back.
 */

#include "config.h"

#include <glib/gstdio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "mw-connection-list.h"
#include "mw-libvirt.h"
#include "mw-test-core.h"
#include "mw-uri.h"

#define SCHEMA_ID "com.example.MigWizard"
#define SCHEMA_PATH "/com/example/MigWizard/"

typedef struct
{
  char *dir;
  char *keyfile;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mw-connection-list-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->keyfile = g_build_filename (fixture->dir, "settings.ini", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_unlink (fixture->keyfile);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->keyfile);
  g_free (fixture->dir);
}

/* A GSettings on its own keyfile backend: what one app start would see. */
static GSettings *
open_settings (Fixture *fixture)
{
  g_autoptr(GSettingsBackend) backend =
    g_keyfile_settings_backend_new (fixture->keyfile, SCHEMA_PATH, "MigWizard");

  return g_settings_new_with_backend (SCHEMA_ID, backend);
}

static GStrv
expected_seed (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) demos = mw_uri_get_demo_uris ();

  if (g_file_test ("/run/libvirt/libvirt-sock", G_FILE_TEST_EXISTS)
      || g_file_test ("/run/libvirt/virtqemud-sock", G_FILE_TEST_EXISTS))
    g_strv_builder_add (builder, "qemu:///system");
  g_strv_builder_addv (builder, (const char **) demos);

  return g_strv_builder_end (builder);
}

static GStrv
list_uris (MwConnectionList *list)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_strv_builder_add (builder, mw_connection_get_uri (connection));
    }

  return g_strv_builder_end (builder);
}

static void
assert_strv_equal (char       **actual,
                   char       **expected)
{
  g_autofree char *actual_text = g_strjoinv (" ", actual);
  g_autofree char *expected_text = g_strjoinv (" ", expected);

  g_assert_cmpstr (actual_text, ==, expected_text);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} ItemsChanged;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  ItemsChanged *changed = user_data;

  changed->position = position;
  changed->removed = removed;
  changed->added = added;
  changed->count++;
}

static void
test_seed (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = open_settings (fixture);
  g_autoptr(MwConnectionList) list = NULL;
  g_autoptr(GVariant) user_value = NULL;
  g_auto(GStrv) expected = expected_seed ();
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) saved_autoconnect = NULL;
  ItemsChanged changed = { 0 };

  /* Demo nodes are shipped, so there is always something to offer. */
  g_assert_cmpuint (g_strv_length (expected), >=, 2);

  g_assert_null (g_settings_get_user_value (settings, "connections"));

  list = mw_connection_list_new (settings);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == MW_TYPE_CONNECTION);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  mw_connection_list_load (list, TRUE);

  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, g_strv_length (expected));

  uris = list_uris (list);
  assert_strv_equal (uris, expected);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_true (mw_connection_get_autoconnect (connection));
      g_assert_cmpint (mw_connection_get_state (connection), ==,
                       MW_CONNECTION_STATE_DISCONNECTED);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 99));

  /* Seeding is written back, so the next start is not a first start. */
  user_value = g_settings_get_user_value (settings, "connections");
  g_assert_nonnull (user_value);
  saved = g_settings_get_strv (settings, "connections");
  assert_strv_equal (saved, expected);
  saved_autoconnect = g_settings_get_strv (settings, "autoconnect");
  assert_strv_equal (saved_autoconnect, expected);

  g_signal_handlers_disconnect_by_data (list, &changed);
  g_assert_finalize_object (g_steal_pointer (&list));
}

/* A user who removed everything gets an empty list, not the defaults again. */
static void
test_no_reseed (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = open_settings (fixture);
  g_autoptr(MwConnectionList) list = NULL;
  const char * const empty[] = { NULL };

  g_settings_set_strv (settings, "connections", empty);
  list = mw_connection_list_new (settings);
  mw_connection_list_load (list, TRUE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&list));
}

/* `mig-wizard --connect URI` on a first start: only what the user named, and the defaults are
 * still offered at the next plain start because nothing was written. */
static void
test_no_defaults (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = open_settings (fixture);
  g_autoptr(MwConnectionList) list = mw_connection_list_new (settings);
  g_autoptr(MwConnectionList) later = NULL;
  g_auto(GStrv) expected = expected_seed ();

  mw_connection_list_load (list, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_nonnull (mw_connection_list_add (list, "test:///default", TRUE, FALSE, NULL));
  g_assert_null (g_settings_get_user_value (settings, "connections"));
  g_assert_finalize_object (g_steal_pointer (&list));

  later = mw_connection_list_new (settings);
  mw_connection_list_load (later, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (later)), ==, g_strv_length (expected));
  g_assert_finalize_object (g_steal_pointer (&later));
}

static void
test_add_remove (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = open_settings (fixture);
  g_autoptr(MwConnectionList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) seed = expected_seed ();
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) saved_autoconnect = NULL;
  ItemsChanged changed = { 0 };
  guint n_seed = g_strv_length (seed);
  MwConnection *hostb;
  MwConnection *unsaved;
  MwConnection *result;

  list = mw_connection_list_new (settings);
  mw_connection_list_load (list, TRUE);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);

  hostb = mw_connection_list_add (list, "qemu+ssh://root@hostb/system", FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hostb);
  g_assert_cmpstr (mw_connection_get_title (hostb), ==, "QEMU/KVM: hostb");
  g_assert_false (mw_connection_get_autoconnect (hostb));
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, n_seed);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);
  g_assert_true (mw_connection_list_find (list, "qemu+ssh://root@hostb/system") == hostb);

  /* The same connection, exactly or spelled differently, is refused with a clear message. */
  result = mw_connection_list_add (list, "qemu+ssh://root@hostb/system", TRUE, TRUE, &error);
  g_assert_null (result);
  g_assert_error (error, MW_CONNECTION_LIST_ERROR, MW_CONNECTION_LIST_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==,
                   "“QEMU/KVM: hostb” is already in the list of connections.");
  g_clear_error (&error);

  g_assert_nonnull (mw_connection_list_add (list, "qemu://hostc/system", FALSE, TRUE, &error));
  result = mw_connection_list_add (list, "qemu+tls://hostc/system", FALSE, TRUE, &error);
  g_assert_null (result);
  g_assert_error (error, MW_CONNECTION_LIST_ERROR, MW_CONNECTION_LIST_ERROR_EXISTS);
  g_clear_error (&error);

  /* Bad input is refused with the URI error, and nothing changes. */
  changed.count = 0;
  result = mw_connection_list_add (list, "qemu+ssh://root;reboot@hostb/system", FALSE, TRUE,
                                   &error);
  g_assert_null (result);
  g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_USER);
  g_clear_error (&error);
  result = mw_connection_list_add (list, "", FALSE, TRUE, &error);
  g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_cmpuint (changed.count, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_seed + 2);

  /* save = FALSE (from --connect): listed, never written. */
  unsaved = mw_connection_list_add (list, "qemu+ssh://hostd/system", TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_seed + 3);
  saved = g_settings_get_strv (settings, "connections");
  g_assert_cmpuint (g_strv_length (saved), ==, n_seed + 2);
  g_assert_true (g_strv_contains ((const char * const *) saved, "qemu+ssh://root@hostb/system"));
  g_assert_true (g_strv_contains ((const char * const *) saved, "qemu://hostc/system"));
  g_assert_false (g_strv_contains ((const char * const *) saved, "qemu+ssh://hostd/system"));
  g_clear_pointer (&saved, g_strfreev);

  /* Toggling autoconnect is saved at once. */
  mw_connection_set_autoconnect (hostb, TRUE);
  saved_autoconnect = g_settings_get_strv (settings, "autoconnect");
  g_assert_true (g_strv_contains ((const char * const *) saved_autoconnect,
                                  "qemu+ssh://root@hostb/system"));
  g_assert_false (g_strv_contains ((const char * const *) saved_autoconnect,
                                   "qemu+ssh://hostd/system"));
  g_clear_pointer (&saved_autoconnect, g_strfreev);

  /* Remove. */
  changed.count = 0;
  mw_connection_list_remove (list, hostb);
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, n_seed);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (changed.added, ==, 0);
  g_assert_null (mw_connection_list_find (list, "qemu+ssh://root@hostb/system"));
  saved = g_settings_get_strv (settings, "connections");
  g_assert_false (g_strv_contains ((const char * const *) saved, "qemu+ssh://root@hostb/system"));
  saved_autoconnect = g_settings_get_strv (settings, "autoconnect");
  g_assert_false (g_strv_contains ((const char * const *) saved_autoconnect,
                                   "qemu+ssh://root@hostb/system"));

  mw_connection_list_remove (list, unsaved);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_seed + 1);

  /* Once removed it can be added again. */
  g_assert_nonnull (mw_connection_list_add (list, "qemu+ssh://root@hostb/system", FALSE, TRUE,
                                            &error));
  g_assert_no_error (error);

  g_signal_handlers_disconnect_by_data (list, &changed);
  g_assert_finalize_object (g_steal_pointer (&list));
}

static void
test_persistence (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = open_settings (fixture);
  g_autoptr(MwConnectionList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) seed = expected_seed ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) saved_autoconnect = NULL;
  g_autofree char *contents = NULL;
  MwConnection *connection;
  const char *ipv6 = "qemu+ssh://root@[fd00::1]:2222/system";
  const char *hostb = "qemu+ssh://admin@hostb/system";

  list = mw_connection_list_new (settings);
  mw_connection_list_load (list, TRUE);
  g_assert_nonnull (mw_connection_list_add (list, hostb, TRUE, TRUE, &error));
  g_assert_nonnull (mw_connection_list_add (list, ipv6, FALSE, TRUE, &error));
  g_assert_nonnull (mw_connection_list_add (list, "qemu+ssh://transient/system", TRUE, FALSE,
                                            &error));
  g_assert_no_error (error);

  /* The first demo node no longer autoconnects. */
  connection = mw_connection_list_find (list, seed[0]);
  mw_connection_set_autoconnect (connection, FALSE);

  g_assert_finalize_object (g_steal_pointer (&list));
  g_settings_sync ();
  g_clear_object (&settings);

  /* It is on disk... */
  g_assert_true (g_file_get_contents (fixture->keyfile, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "fd00::1"));
  g_assert_null (strstr (contents, "transient"));

  /* ...and a fresh backend and list read it back as it was. */
  settings = open_settings (fixture);
  g_strv_builder_addv (builder, (const char **) seed);
  g_strv_builder_add (builder, hostb);
  g_strv_builder_add (builder, ipv6);
  expected = g_strv_builder_end (builder);

  uris = g_settings_get_strv (settings, "connections");
  assert_strv_equal (uris, expected);
  g_clear_pointer (&uris, g_strfreev);
  saved_autoconnect = g_settings_get_strv (settings, "autoconnect");
  g_assert_false (g_strv_contains ((const char * const *) saved_autoconnect, seed[0]));
  g_assert_true (g_strv_contains ((const char * const *) saved_autoconnect, seed[1]));
  g_assert_true (g_strv_contains ((const char * const *) saved_autoconnect, hostb));
  g_assert_false (g_strv_contains ((const char * const *) saved_autoconnect, ipv6));

  list = mw_connection_list_new (settings);
  mw_connection_list_load (list, TRUE);
  uris = list_uris (list);
  assert_strv_equal (uris, expected);
  g_assert_false (mw_connection_get_autoconnect (mw_connection_list_find (list, seed[0])));
  g_assert_true (mw_connection_get_autoconnect (mw_connection_list_find (list, seed[1])));
  g_assert_true (mw_connection_get_autoconnect (mw_connection_list_find (list, hostb)));
  g_assert_false (mw_connection_get_autoconnect (mw_connection_list_find (list, ipv6)));
  g_assert_null (mw_connection_list_find (list, "qemu+ssh://transient/system"));

  /* Loading again replaces, it does not append. */
  mw_connection_list_load (list, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, g_strv_length (expected));

  g_assert_finalize_object (g_steal_pointer (&list));
}

/* Entries that are not valid URIs (a hand-edited file) are skipped, not fatal. */
static void
test_load_skips_invalid (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = open_settings (fixture);
  g_autoptr(MwConnectionList) list = NULL;
  g_auto(GStrv) uris = NULL;
  const char * const stored[] = {
    "qemu+ssh://root@hostb/system", "qemu+ssh://root;id@hostb/system", "not a uri",
    "qemu+ssh://root@hostb/system", "test:///default", NULL
  };
  const char * const expected[] = { "qemu+ssh://root@hostb/system", "test:///default", NULL };
  const char * const autoconnect[] = { "test:///default", NULL };

  g_settings_set_strv (settings, "connections", stored);
  g_settings_set_strv (settings, "autoconnect", autoconnect);
  list = mw_connection_list_new (settings);
  mw_connection_list_load (list, TRUE);

  uris = list_uris (list);
  assert_strv_equal (uris, (char **) expected);
  g_assert_true (mw_connection_get_autoconnect (mw_connection_list_find (list,
                                                                         "test:///default")));
  g_assert_false (mw_connection_get_autoconnect (mw_connection_list_find (
    list, "qemu+ssh://root@hostb/system")));

  g_assert_finalize_object (g_steal_pointer (&list));
}

static void
test_autoconnect (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = open_settings (fixture);
  g_autoptr(MwConnectionList) list = NULL;
  g_auto(GStrv) demos = mw_uri_get_demo_uris ();
  const char * const stored[] = { demos[0], demos[1], "test:///default", NULL };
  const char * const autoconnect[] = { demos[0], demos[1], NULL };
  MwConnection *hosta;
  MwConnection *hostb;
  MwConnection *other;

  g_settings_set_strv (settings, "connections", stored);
  g_settings_set_strv (settings, "autoconnect", autoconnect);
  list = mw_connection_list_new (settings);
  mw_connection_list_load (list, TRUE);
  hosta = mw_connection_list_find (list, demos[0]);
  hostb = mw_connection_list_find (list, demos[1]);
  other = mw_connection_list_find (list, "test:///default");

  mw_connection_list_autoconnect (list);
  mw_test_wait_until (mw_connection_get_state (hosta) == MW_CONNECTION_STATE_CONNECTED
                      && mw_connection_get_state (hostb) == MW_CONNECTION_STATE_CONNECTED);
  g_assert_cmpuint (g_list_model_get_n_items (mw_connection_get_domains (hosta)), ==, 8);
  g_assert_cmpuint (g_list_model_get_n_items (mw_connection_get_domains (hostb)), ==, 5);
  g_assert_cmpint (mw_connection_get_state (other), ==, MW_CONNECTION_STATE_DISCONNECTED);

  /* A second call leaves connected ones alone. */
  mw_connection_list_autoconnect (list);
  g_assert_cmpint (mw_connection_get_state (hosta), ==, MW_CONNECTION_STATE_CONNECTED);

  /* Removing a connected connection disconnects it. */
  g_object_ref (hosta);
  mw_connection_list_remove (list, hosta);
  g_assert_cmpint (mw_connection_get_state (hosta), ==, MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_finalize_object (hosta);

  g_assert_finalize_object (g_steal_pointer (&list));
}

/* Without settings nothing is loaded or written, but the list works. */
static void
test_no_settings (void)
{
  g_autoptr(MwConnectionList) list = mw_connection_list_new (NULL);
  g_autoptr(GError) error = NULL;

  mw_connection_list_load (list, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_nonnull (mw_connection_list_add (list, "test:///default", TRUE, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&list));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/mw/connection-list/seed", test_seed);
  ADD_TEST ("/mw/connection-list/no-reseed", test_no_reseed);
  ADD_TEST ("/mw/connection-list/no-defaults", test_no_defaults);
  ADD_TEST ("/mw/connection-list/add-remove", test_add_remove);
  ADD_TEST ("/mw/connection-list/persistence", test_persistence);
  ADD_TEST ("/mw/connection-list/load-skips-invalid", test_load_skips_invalid);
  ADD_TEST ("/mw/connection-list/autoconnect", test_autoconnect);
  g_test_add_func ("/mw/connection-list/no-settings", test_no_settings);

#undef ADD_TEST

  return g_test_run ();
}
