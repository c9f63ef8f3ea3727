/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-libvirt.c: process-wide libvirt set-up and libvirt errors as GErrors. */

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <libvirt/virterror.h>
#include <libvirt-glib/libvirt-glib.h>

#include "mw-libvirt.h"
#include "mw-uri.h"

G_DEFINE_QUARK (mw-libvirt-error-quark, mw_libvirt_error)

/* libvirt prints every error on stderr unless a handler is set. Errors still reach us through
 * virGetLastError () in the thread that failed, which is where they are turned into GErrors. */
static void
on_libvirt_error_cb (void        *user_data,
                     virErrorPtr  error)
{
}

static gpointer
libvirt_init_once (gpointer data)
{
  /* A child that exits before reading its input (ssh under libvirt's remote driver, ssh given
   * a password on stdin) must give EPIPE, not kill the app: libvirt asks applications to ignore
   * SIGPIPE for that reason. */
  signal (SIGPIPE, SIG_IGN);

  if (virInitialize () < 0)
    g_critical ("Could not initialise libvirt");

  /* Dispatches libvirt events, keepalives and close callbacks on the default main context. */
  gvir_event_register ();
  virSetErrorFunc (NULL, on_libvirt_error_cb);

  return NULL;
}

void
mw_libvirt_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, libvirt_init_once, NULL);
}

void
mw_libvirt_set_error (GError     **error,
                      const char  *prefix)
{
  virErrorPtr last = virGetLastError ();
  int code = VIR_ERR_INTERNAL_ERROR;
  const char *message = NULL;

  if (last != NULL && last->message != NULL)
    {
      code = last->code;
      message = last->message;
    }
  else
    {
      /* A libvirt call failed without saying why; still give the user a sentence. */
      message = _("libvirt reported an unknown error.");
    }

  if (prefix != NULL && *prefix != '\0')
    g_set_error (error, MW_LIBVIRT_ERROR, code, "%s: %s", prefix, message);
  else
    g_set_error_literal (error, MW_LIBVIRT_ERROR, code, message);

  virResetLastError ();
}

gboolean
mw_libvirt_last_error_is (int code)
{
  virErrorPtr error = virGetLastError ();

  return error != NULL && error->code == code;
}

#define KEEPALIVE_INTERVAL_S 5
#define KEEPALIVE_COUNT      3

static int auth_credential_types[] = {
  VIR_CRED_AUTHNAME,
  VIR_CRED_PASSPHRASE,
  VIR_CRED_ECHOPROMPT,
  VIR_CRED_NOECHOPROMPT,
  VIR_CRED_REALM,
};

/* Refuses every credential: a worker must never wait for a password nobody is asked for. */
static int
on_auth_cb (virConnectCredentialPtr credentials,
            unsigned int            n_credentials,
            void                   *user_data)
{
  return -1;
}

/* ssh must fail rather than prompt: no_tty, unless the URI already decides. */
static char *
uri_to_open (const char *uri_text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (uri_text, NULL);
  char *query;

  if (uri == NULL || uri->transport != MW_TRANSPORT_SSH
      || (uri->query != NULL && strstr (uri->query, "no_tty") != NULL))
    return g_strdup (uri_text);

  query = uri->query != NULL ? g_strconcat (uri->query, "&no_tty=1", NULL) : g_strdup ("no_tty=1");
  g_free (uri->query);
  uri->query = query;
  return mw_uri_to_string (uri);
}

virConnectPtr
mw_libvirt_open (const char  *uri_text,
                 const char  *prefix,
                 GError     **error)
{
  g_autofree char *uri = NULL;
  virConnectAuth auth = {
    auth_credential_types, G_N_ELEMENTS (auth_credential_types), on_auth_cb, NULL
  };
  virConnectPtr conn;

  g_return_val_if_fail (uri_text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = uri_to_open (uri_text);
  conn = virConnectOpenAuth (uri, &auth, 0);
  if (conn == NULL)
    {
      mw_libvirt_set_error (error, prefix);
      return NULL;
    }
  /* Local drivers have no keepalive: that is fine. */
  if (virConnectSetKeepAlive (conn, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT) < 0)
    virResetLastError ();
  return conn;
}
