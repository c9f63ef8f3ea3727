/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-secrets.c: store, look up and clear a password through the real Secret Service.
 * Without one (the usual CI case: no session bus, or nothing owning org.freedesktop.secrets)
 * the round trip is skipped with the reason; it is never faked. */
#include "config.h"

#include "mw-secrets.h"
#include "../unit/mw-test-core.h"

#define TEST_HOST "mw-test-secrets.invalid"

static char *
secret_service_missing (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) names = NULL;
  g_autoptr(GError) error = NULL;
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");

  if (address == NULL || *address == '\0')
    return g_strdup ("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    return g_strdup_printf ("no D-Bus session bus: %s", error->message);

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, &error);
  if (reply != NULL)
    {
      g_autofree const char **list = NULL;

      names = g_variant_get_child_value (reply, 0);
      list = g_variant_get_strv (names, NULL);
      if (g_strv_contains (list, "org.freedesktop.secrets"))
        return NULL;
    }
  g_clear_pointer (&reply, g_variant_unref);
  g_clear_error (&error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, &error);
  if (reply != NULL)
    {
      gboolean owned = FALSE;

      g_variant_get (reply, "(b)", &owned);
      if (owned)
        return NULL;
    }

  return g_strdup ("no Secret Service on the session bus (org.freedesktop.secrets)");
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_schema (void)
{
  g_assert_nonnull (mw_secrets_get_schema ());
}

static void
test_round_trip (void)
{
  g_autofree char *missing = secret_service_missing ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSshTarget) login = mw_ssh_target_parse ("root@" TEST_HOST ":2222", NULL);
  g_autoptr(MwSshTarget) other_port = mw_ssh_target_parse ("root@" TEST_HOST, NULL);
  char *password;

  if (missing != NULL)
    {
      g_test_skip (missing);
      return;
    }

  mw_secrets_store_async (TEST_HOST, 2222, "root", "sw0rdfish", NULL, on_result_cb, &result);
  mw_test_wait_until (result != NULL);
  g_assert_true (mw_secrets_store_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  mw_secrets_lookup_async (login, NULL, on_result_cb, &result);
  mw_test_wait_until (result != NULL);
  password = mw_secrets_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "sw0rdfish");
  mw_secrets_free (password);
  g_clear_object (&result);

  /* Another port is another item. */
  mw_secrets_lookup_async (other_port, NULL, on_result_cb, &result);
  mw_test_wait_until (result != NULL);
  g_assert_null (mw_secrets_lookup_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  mw_secrets_clear_async (login, NULL, on_result_cb, &result);
  mw_test_wait_until (result != NULL);
  g_assert_true (mw_secrets_clear_finish (result, &error));
  g_clear_object (&result);

  mw_secrets_lookup_async (login, NULL, on_result_cb, &result);
  mw_test_wait_until (result != NULL);
  g_assert_null (mw_secrets_lookup_finish (result, &error));
  g_assert_no_error (error);
}

/* The login a connection's remembered password belongs to: ssh connections only, with the
 * URI's user and port. */
static void
test_login_for_uri (void)
{
  g_autoptr(MwSshTarget) login = mw_secrets_login_for_uri ("qemu+ssh://ops@hostk:2222/system");
  g_autoptr(MwSshTarget) plain = mw_secrets_login_for_uri ("qemu+ssh://hostk/system");
  g_autoptr(MwSshTarget) tls = mw_secrets_login_for_uri ("qemu+tls://ops@hostk/system");
  g_autoptr(MwSshTarget) local = mw_secrets_login_for_uri ("qemu:///system");

  g_assert_cmpstr (login->user, ==, "ops");
  g_assert_cmpstr (login->host, ==, "hostk");
  g_assert_cmpuint (login->port, ==, 2222);
  g_assert_null (plain->user);
  g_assert_cmpuint (plain->port, ==, 0);
  g_assert_null (tls);
  g_assert_null (local);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/secrets/schema", test_schema);
  g_test_add_func ("/mw/secrets/round-trip", test_round_trip);
  g_test_add_func ("/mw/secrets/login-for-uri", test_login_for_uri);

  return g_test_run ();
}
