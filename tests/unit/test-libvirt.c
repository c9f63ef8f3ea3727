/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-libvirt.c: the shared libvirt plumbing of mw-libvirt.h against libvirt's test driver.
 *
 * test:///default has one running domain, "test". The test driver takes a close callback and
 * never calls it, so only registering and letting go of a close watch can be tried here; a lost
 * connection is the lab's to show.
 */

#include "config.h"

#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-uri.h"
#include "mw-test-core.h"

#define DEFAULT_URI "test:///default"

static void
test_lookup_domain (void)
{
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = mw_libvirt_open (DEFAULT_URI, NULL, &error);
  virDomainPtr by_name;
  virDomainPtr by_uuid;
  virDomainPtr missing;
  char uuid[VIR_UUID_STRING_BUFLEN];

  g_assert_no_error (error);
  g_assert_nonnull (conn);

  by_name = mw_libvirt_lookup_domain (conn, "test", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_name);
  g_assert_cmpint (virDomainGetUUIDString (by_name, uuid), ==, 0);

  by_uuid = mw_libvirt_lookup_domain (conn, uuid, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_uuid);
  g_assert_cmpstr (virDomainGetName (by_uuid), ==, "test");

  /* The host answered that it has no such domain: that, and the caller's words first. */
  missing = mw_libvirt_lookup_domain (conn, "no-such-domain", "No domain here", &error);
  g_assert_null (missing);
  g_assert_error (error, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN);
  g_assert_true (g_str_has_prefix (error->message, "No domain here: "));
  g_clear_error (&error);

  /* A UUID nobody has: asked by UUID, and then by name in case a domain is called so. */
  missing = mw_libvirt_lookup_domain (conn, "00000000-0000-0000-0000-000000000000", NULL,
                                      &error);
  g_assert_null (missing);
  g_assert_error (error, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN);

  virDomainFree (by_uuid);
  virDomainFree (by_name);
  virConnectClose (conn);
}

static void
test_uri_no_tty (void)
{
  static const struct
  {
    const char *uri;
    const char *expected;
  } cases[] = {
    { "qemu+ssh://root@hostb/system", "qemu+ssh://root@hostb/system?no_tty=1" },
    { "qemu+ssh://root@hostb/system?keyfile=/k",
      "qemu+ssh://root@hostb/system?keyfile=/k&no_tty=1" },
    { "qemu+ssh://root@hostb/system?no_tty=0", "qemu+ssh://root@hostb/system?no_tty=0" },
    { "qemu+tls://hostb/system", "qemu+tls://hostb/system" },
    { "qemu:///system", "qemu:///system" },
    { "not a uri", "not a uri" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *uri = mw_libvirt_uri_no_tty (cases[i].uri);

      g_assert_cmpstr (uri, ==, cases[i].expected);
    }
}

static void
on_lost_cb (int         reason,
            const char *message,
            gpointer    user_data)
{
  g_assert_not_reached ();
}

static void
count_destroy_cb (gpointer user_data)
{
  guint *n_destroyed = user_data;

  (*n_destroyed)++;
}

static void
test_close_watch (void)
{
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = mw_libvirt_open (DEFAULT_URI, NULL, &error);
  MwLibvirtCloseWatch *watch;
  guint n_destroyed = 0;

  g_assert_no_error (error);

  watch = mw_libvirt_watch_close (conn, NULL, on_lost_cb, &n_destroyed, count_destroy_cb);
  g_assert_nonnull (watch);
  g_assert_cmpuint (n_destroyed, ==, 0);

  /* The watch holds its own reference: letting go of ours first closes nothing yet. */
  g_assert_cmpint (virConnectClose (conn), >, 0);
  mw_test_iterate_for (100);
  mw_libvirt_close_watch_free (watch);
  g_assert_cmpuint (n_destroyed, ==, 1);

  /* A watch for another main context, without data to let go of. */
  conn = mw_libvirt_open (DEFAULT_URI, NULL, &error);
  g_assert_no_error (error);
  watch = mw_libvirt_watch_close (conn, g_main_context_default (), on_lost_cb, NULL, NULL);
  g_assert_nonnull (watch);
  g_clear_pointer (&watch, mw_libvirt_close_watch_free);
  g_assert_cmpint (virConnectClose (conn), ==, 0);
}

/* The one opener refuses a URI that would turn host-key checking off, whoever passes it (a saved
 * connection, the command line); the test driver would open it otherwise. */
static void
test_open_unsafe_query (void)
{
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = mw_libvirt_open ("test:///default?no_verify=1", NULL, &error);

  g_assert_null (conn);
  g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_UNSAFE);
  g_clear_error (&error);
  conn = mw_libvirt_open ("test:///default?no_verify=0", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (virConnectClose (conn), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/libvirt/lookup-domain", test_lookup_domain);
  g_test_add_func ("/mw/libvirt/uri-no-tty", test_uri_no_tty);
  g_test_add_func ("/mw/libvirt/close-watch", test_close_watch);
  g_test_add_func ("/mw/libvirt/open-unsafe-query", test_open_unsafe_query);

  return g_test_run ();
}
