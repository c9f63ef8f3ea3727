/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-libvirt.c: the shared libvirt plumbing of mw-libvirt.h against libvirt's test driver.
 *
 * test:///default has one running domain, "test". The test driver takes a close callback and
 * never calls it, so only registering and letting go of a close watch can be tried here; a lost
 * connection is the lab's to show.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
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

/* ssh refuses a host whose key changed: libvirt passes on ssh's banner of @ signs, the user
 * gets one sentence that says what happened and what to do. A stand-in ssh (first on PATH: the
 * URI's command= is refused as unsafe) writes what OpenSSH writes and fails as it does. */
static void
test_open_host_key_changed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-test-ssh-XXXXXX", NULL);
  g_autofree char *fake = g_build_filename (dir, "ssh", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *old_path = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;
  const char *script =
    "#!/bin/sh\n"
    "cat >&2 <<'EOF'\n"
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
    "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
    "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n"
    "Host key verification failed.\n"
    "EOF\n"
    "exit 255\n";

  g_assert_true (g_file_set_contents (fake, script, -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  old_path = g_strdup (g_getenv ("PATH"));
  path = g_strdup_printf ("%s:%s", dir, old_path);
  g_setenv ("PATH", path, TRUE);
  uri = g_strdup ("qemu+ssh://root@hostb.invalid/system");

  conn = mw_libvirt_open (uri, "Could not connect to the destination host", &error);
  g_setenv ("PATH", old_path, TRUE);
  g_assert_null (conn);
  g_assert_error (error, MW_LIBVIRT_ERROR, error->code);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Could not connect to the destination host: The SSH host key "
                                   "of hostb.invalid has changed since this computer last "
                                   "connected to it"));
  g_assert_nonnull (strstr (error->message, "ssh-keygen -R hostb.invalid"));
  g_assert_null (strstr (error->message, "@@@"));

  g_unlink (fake);
  g_rmdir (dir);
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
  g_test_add_func ("/mw/libvirt/open-host-key-changed", test_open_host_key_changed);

  return g_test_run ();
}
