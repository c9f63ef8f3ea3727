/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-credentials.c: the auth callback of mw_libvirt_open with a fake provider and the
 * in-memory keyring, against libvirt's test driver with an <auth> user: it asks for a username
 * and then a password (one callback each) and refuses wrong ones with VIR_ERR_AUTH_FAILED, as
 * a SASL libvirtd does. The real SASL daemon and Secret Service are tests/lab/sasl.sh's. */
#include "config.h"

#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "mw-credentials.h"
#include "mw-libvirt.h"
#include "mw-secrets.h"
#include "mw-test-keyring.h"

#define USER "mwuser"
#define PASSWORD "s3cret"

typedef struct
{
  char *dir;
  char *uri;
  GPtrArray *asked;        /* copies of each request the provider saw */
  const char *password;    /* what the provider answers, or NULL: it declines */
  const char *then;        /* what it answers after a refusal */
  gboolean remember;
} Fixture;

static gboolean
fake_ask (MwCredentialRequest  *request,
          gpointer              user_data,
          GError              **error)
{
  Fixture *fixture = user_data;
  const char *password = request->problem != NULL && fixture->then != NULL ? fixture->then
                                                                           : fixture->password;

  g_assert_false (g_main_context_is_owner (g_main_context_default ()));
  g_ptr_array_add (fixture->asked, mw_credential_request_copy (request));
  if (password == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "declined");
      return FALSE;
    }
  for (guint i = 0; i < request->fields->len; i++)
    {
      MwCredentialField *field = mw_credential_request_get (request, i);

      mw_credential_request_set_value (request, i,
                                       field->kind == MW_CREDENTIAL_USERNAME ? USER : password);
    }
  request->remember = fixture->remember;
  return TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mw-credentials-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "node.xml", NULL);
  g_file_set_contents (path,
                       "<node><auth><user password='" PASSWORD "'>" USER "</user></auth>"
                       "<domain type='test'><name>authguest</name><memory>65536</memory>"
                       "<os><type>hvm</type></os></domain></node>", -1, &error);
  g_assert_no_error (error);
  fixture->uri = g_strconcat ("test://", path, NULL);
  fixture->asked = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_credential_request_free);
  mw_test_keyring_install ();
  mw_credentials_set_provider (fake_ask, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "node.xml", NULL);

  mw_credentials_set_provider (NULL, NULL);
  g_unlink (path);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->uri);
  g_ptr_array_unref (fixture->asked);
}

/* Opens in a worker thread, as the app does; the domain count, or -1 with error set. */
static gpointer
open_thread (gpointer data)
{
  Fixture *fixture = data;
  GError *error = NULL;
  virConnectPtr conn = mw_libvirt_open (fixture->uri, "Could not connect", &error);
  int n;

  if (conn == NULL)
    return error;
  n = virConnectNumOfDefinedDomains (conn) + virConnectNumOfDomains (conn);
  virConnectClose (conn);
  g_assert_cmpint (n, ==, 1);
  return NULL;
}

static GError *
open_in_worker (Fixture *fixture)
{
  return g_thread_join (g_thread_new ("open", open_thread, fixture));
}

static MwCredentialRequest *
asked (Fixture *fixture,
       guint    i)
{
  g_assert_cmpuint (i, <, fixture->asked->len);
  return g_ptr_array_index (fixture->asked, i);
}

/* Nobody to ask: the open fails with a sentence instead of libvirt's "authentication failed". */
static void
test_no_provider (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  mw_credentials_set_provider (NULL, NULL);
  error = open_in_worker (fixture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_true (g_str_has_prefix (error->message, "Could not connect: "));
  g_assert_nonnull (strstr (error->message, "username and password"));
}

/* The provider's answers open the connection; the fields are what libvirt asked. */
static void
test_provider_answers (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->password = PASSWORD;
  error = open_in_worker (fixture);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->asked->len, ==, 2);
  g_assert_cmpstr (asked (fixture, 0)->uri, ==, fixture->uri);
  g_assert_cmpuint (asked (fixture, 0)->fields->len, ==, 1);
  g_assert_cmpint (mw_credential_request_get (asked (fixture, 0), 0)->kind, ==,
                   MW_CREDENTIAL_USERNAME);
  g_assert_cmpint (mw_credential_request_get (asked (fixture, 1), 0)->kind, ==,
                   MW_CREDENTIAL_PASSWORD);
  g_assert_null (asked (fixture, 0)->problem);
  /* Not asked to remember: nothing in the keyring. */
  g_assert_null (mw_test_keyring_get_credential (fixture->uri, "password"));
}

/* A refused password is asked again, with the reason; the second answer opens it. */
static void
test_refused_asks_again (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->password = "wrong";
  fixture->then = PASSWORD;
  error = open_in_worker (fixture);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->asked->len, ==, 4);
  g_assert_null (asked (fixture, 1)->problem);
  g_assert_nonnull (asked (fixture, 2)->problem);
  g_assert_nonnull (strstr (asked (fixture, 2)->problem, "did not accept"));
}

/* Always wrong: asked a few times, then libvirt's refusal is the error. */
static void
test_refused_gives_up (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->password = "wrong";
  error = open_in_worker (fixture);
  g_assert_error (error, MW_LIBVIRT_ERROR, VIR_ERR_AUTH_FAILED);
  g_assert_cmpuint (fixture->asked->len, ==, 2 * 5);
}

/* The person declined: the open stops at once with the provider's error. */
static void
test_declined (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  error = open_in_worker (fixture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->asked->len, ==, 1);
}

/* Remembered answers are stored once accepted, used next time without asking, and a refused
 * remembered password goes back to the person, whose new answer replaces it. */
static void
test_remember (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->password = PASSWORD;
  fixture->remember = TRUE;
  error = open_in_worker (fixture);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_test_keyring_get_credential (fixture->uri, "username"), ==, USER);
  g_assert_cmpstr (mw_test_keyring_get_credential (fixture->uri, "password"), ==, PASSWORD);

  g_ptr_array_set_size (fixture->asked, 0);
  error = open_in_worker (fixture);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->asked->len, ==, 0);

  /* The password changed on the host (here: in the keyring). */
  g_assert_true (mw_secrets_store_credential (fixture->uri, "password", "old", NULL, &error));
  error = open_in_worker (fixture);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->asked->len, ==, 2);
  g_assert_nonnull (asked (fixture, 0)->problem);
  g_assert_cmpstr (mw_test_keyring_get_credential (fixture->uri, "password"), ==, PASSWORD);
}

/* Wrong answers are never remembered, even when asked to. */
static void
test_refused_not_remembered (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->password = "wrong";
  fixture->remember = TRUE;
  error = open_in_worker (fixture);
  g_assert_nonnull (error);
  g_assert_null (mw_test_keyring_get_credential (fixture->uri, "password"));
}

/* Requests copy deeply and keep their answers apart. */
static void
test_request_copy (void)
{
  g_autoptr(MwCredentialRequest) request = mw_credential_request_new ("qemu+tcp://h/system");
  g_autoptr(MwCredentialRequest) copy = NULL;
  g_autofree char *key = NULL;

  mw_credential_request_add (request, MW_CREDENTIAL_USERNAME, "Username", "root");
  mw_credential_request_add (request, MW_CREDENTIAL_SECRET_PROMPT, "OTP", NULL);
  copy = mw_credential_request_copy (request);
  mw_credential_request_set_value (copy, 0, "ops");
  g_assert_cmpstr (mw_credential_request_get (request, 0)->value, ==, "root");
  g_assert_null (mw_credential_request_get (copy, 1)->value);
  key = mw_credential_field_key (mw_credential_request_get (copy, 1));
  g_assert_cmpstr (key, ==, "secret-prompt:OTP");
  g_assert_true (mw_credential_kind_is_secret (MW_CREDENTIAL_SECRET_PROMPT));
  g_assert_false (mw_credential_kind_is_secret (MW_CREDENTIAL_USERNAME));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

#define ADD(path, func) \
  g_test_add ("/mw/credentials/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("no-provider", test_no_provider);
  ADD ("provider-answers", test_provider_answers);
  ADD ("refused-asks-again", test_refused_asks_again);
  ADD ("refused-gives-up", test_refused_gives_up);
  ADD ("declined", test_declined);
  ADD ("remember", test_remember);
  ADD ("refused-not-remembered", test_refused_not_remembered);
#undef ADD
  g_test_add_func ("/mw/credentials/request-copy", test_request_copy);

  return g_test_run ();
}
