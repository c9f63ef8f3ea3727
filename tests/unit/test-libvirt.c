/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-libvirt.c: the shared libvirt plumbing of mw-libvirt.h against libvirt's test driver.
 *
 * test:///default has one running domain, "test". The test driver takes a close callback and
 * never calls it, so only registering and letting go of a close watch can be tried here; a lost
 * connection is the lab's to show.
 */

#include "config.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>
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

/* The sentence a refused user gets: what to do, not libvirt's words. */
static void
assert_refusal_sentence (const char *text)
{
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "“libvirt” group (sudo adduser "));
  g_assert_nonnull (strstr (text, "log out and log in again"));
  g_assert_nonnull (strstr (text, "qemu:///session"));
  g_assert_null (strstr (text, "polkit"));
  g_assert_null (strstr (text, "Permission denied"));
}

/* What libvirt says when qemu:///system will not let a user in (the socket's mode, polkit
 * without an agent, polkit's no), and what merely looks like it. */
static void
test_refused_explained (void)
{
  static const struct
  {
    const char *uri;
    int code;
    int sys_errno;
    const char *message;
    gboolean refusal;
  } cases[] = {
    { "qemu:///system", VIR_ERR_SYSTEM_ERROR, EACCES,
      "Failed to connect socket to '/var/run/libvirt/virtqemud-sock': Permission denied", TRUE },
    { "qemu:///system", VIR_ERR_AUTH_UNAVAILABLE, 0,
      "authentication unavailable: no polkit agent available to authenticate action "
      "'org.libvirt.unix.manage'", TRUE },
    { "qemu:///system", VIR_ERR_AUTH_FAILED, 0, "authentication failed: access denied by policy",
      TRUE },
    { "qemu+unix:///system", VIR_ERR_AUTH_CANCELLED, 0,
      "authentication cancelled: polkit: Authentication was dismissed", TRUE },
    /* Not refusals of this user by this computer. */
    { "qemu:///session", VIR_ERR_SYSTEM_ERROR, EACCES,
      "Failed to connect socket to '/run/user/1000/libvirt/virtqemud-sock': Permission denied",
      FALSE },
    { "qemu+ssh://root@hostb/system", VIR_ERR_AUTH_UNAVAILABLE, 0,
      "authentication unavailable: no polkit agent available to authenticate action "
      "'org.libvirt.unix.manage'", FALSE },
    { "qemu:///system", VIR_ERR_SYSTEM_ERROR, ECONNREFUSED,
      "Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused", FALSE },
    { "qemu:///system", VIR_ERR_AUTH_FAILED, 0,
      "authentication failed: Failed to step SASL negotiation", FALSE },
    { "test:///default", VIR_ERR_SYSTEM_ERROR, EACCES, "Permission denied", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = mw_libvirt_explain_refusal (cases[i].uri, cases[i].code,
                                                          cases[i].sys_errno, cases[i].message);

      if (cases[i].refusal)
        assert_refusal_sentence (text);
      else
        g_assert_null (text);
    }
}

/* Any other failed open is left for mw_libvirt_set_error, libvirt's error untouched. */
static void
test_refused_other_error (void)
{
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = virConnectOpen ("test:///no/such/node.xml");

  g_assert_null (conn);
  g_assert_nonnull (virGetLastError ());
  g_assert_false (mw_libvirt_set_refused_error (&error, "test:///no/such/node.xml", NULL));
  g_assert_no_error (error);
  g_assert_nonnull (virGetLastError ());
  virResetLastError ();
}

/* A real refusal, faked with a socket in place of the daemon's: one this user may not open (as
 * root, the child becomes uid 65534 first), through the one opener as the app's connections use
 * it. The user gets the sentence, with the caller's words first. */
static void
test_open_refused_socket (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      virConnectPtr conn;

      uri = g_strdup_printf ("qemu+unix:///system?socket=%s", g_getenv ("MW_TEST_REFUSED_SOCKET"));
      if (getuid () == 0)
        g_assert_true (setgroups (0, NULL) == 0 && setgid (65534) == 0 && setuid (65534) == 0);
      conn = mw_libvirt_open (uri, "Could not connect", &error);
      g_assert_null (conn);
      g_assert_error (error, MW_LIBVIRT_ERROR, VIR_ERR_SYSTEM_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "Could not connect: libvirt on this"));
      g_assert_null (virGetLastError ());
      assert_refusal_sentence (error->message);
      g_print ("%s\n", error->message);
      return;
    }

  dir = g_dir_make_tmp ("mw-test-refused-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  path = g_build_filename (dir, "libvirt-sock", NULL);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (path);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  /* root's own socket, for root only; a user's own socket without its write bit. */
  g_assert_cmpint (g_chmod (path, getuid () == 0 ? 0600 : 0000), ==, 0);

  g_setenv ("MW_TEST_REFUSED_SOCKET", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("MW_TEST_REFUSED_SOCKET");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*libvirt on this computer does not let the user * manage its "
                             "virtual machines (qemu+unix:///system?socket=*");

  g_socket_close (socket, NULL);
  g_unlink (path);
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
  g_test_add_func ("/mw/libvirt/refused-explained", test_refused_explained);
  g_test_add_func ("/mw/libvirt/refused-other-error", test_refused_other_error);
  g_test_add_func ("/mw/libvirt/open-refused-socket", test_open_refused_socket);

  return g_test_run ();
}
