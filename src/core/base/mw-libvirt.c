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

/* Releasing in a worker */

typedef struct
{
  GDestroyNotify release;
  gpointer data;
} Release;

static void
release_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Release *release = task_data;

  release->release (g_steal_pointer (&release->data));
  /* Failures here (a dead connection) are expected and interest nobody. */
  virResetLastError ();
  g_task_return_boolean (task, TRUE);
}

void
mw_libvirt_release_in_worker (GDestroyNotify release,
                              gpointer       data)
{
  g_autoptr(GTask) task = NULL;
  Release *job;

  g_return_if_fail (release != NULL);

  if (data == NULL)
    return;
  job = g_new0 (Release, 1);
  job->release = release;
  job->data = data;
  /* No source object, no callback: nothing waits for it, and nothing is kept alive by it. */
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, mw_libvirt_release_in_worker);
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, release_thread);
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

char *
mw_libvirt_uri_no_tty (const char *uri_text)
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

/* ssh refused the host because its key is not the one it knows: libvirt passes ssh's banner of
 * @ signs on, which hides the one thing to say. TRUE when that was it (error set). */
static gboolean
set_host_key_error (GError     **error,
                    const char  *uri_text,
                    const char  *prefix)
{
  virErrorPtr last = virGetLastError ();
  g_autoptr(MwUri) uri = NULL;
  g_autofree char *text = NULL;
  const char *host;
  int code;

  if (last == NULL || last->message == NULL
      || strstr (last->message, "REMOTE HOST IDENTIFICATION HAS CHANGED") == NULL)
    return FALSE;

  code = last->code;
  uri = mw_uri_parse (uri_text, NULL);
  host = uri != NULL && uri->host != NULL ? uri->host : uri_text;
  text = g_strdup_printf (_("The SSH host key of %s has changed since this computer last "
                            "connected to it, so ssh refused to connect: either the host was "
                            "reinstalled, or someone is intercepting the connection. Check the "
                            "new key with the host’s owner; if it is right, remove the old one "
                            "(ssh-keygen -R %s) and connect again."), host, host);
  if (prefix != NULL && *prefix != '\0')
    g_set_error (error, MW_LIBVIRT_ERROR, code, "%s: %s", prefix, text);
  else
    g_set_error_literal (error, MW_LIBVIRT_ERROR, code, text);
  virResetLastError ();
  return TRUE;
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

  /* The last gate for a URI from anywhere (settings, the command line, a peer): nothing that
   * turns host-key checking off or names a program to run reaches libvirt. */
  if (!mw_uri_check_query (uri_text, error))
    return NULL;
  uri = mw_libvirt_uri_no_tty (uri_text);
  conn = virConnectOpenAuth (uri, &auth, 0);
  if (conn == NULL)
    {
      if (!set_host_key_error (error, uri_text, prefix)
          && !mw_libvirt_set_refused_error (error, uri_text, prefix))
        mw_libvirt_set_error (error, prefix);
      return NULL;
    }
  /* Local drivers have no keepalive: that is fine. */
  if (virConnectSetKeepAlive (conn, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT) < 0)
    virResetLastError ();
  return conn;
}

virDomainPtr
mw_libvirt_lookup_domain (virConnectPtr  conn,
                          const char    *domain,
                          const char    *prefix,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean is_uuid;
  virDomainPtr handle;

  g_return_val_if_fail (conn != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  is_uuid = g_uuid_string_is_valid (domain);
  handle = is_uuid ? virDomainLookupByUUIDString (conn, domain)
                   : virDomainLookupByName (conn, domain);
  if (handle != NULL)
    return handle;
  mw_libvirt_set_error (&local_error, prefix);

  if (is_uuid && g_error_matches (local_error, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN))
    {
      handle = virDomainLookupByName (conn, domain);
      if (handle != NULL)
        return handle;
      /* The UUID's answer is the one that says what went wrong. */
      virResetLastError ();
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

MwDomainTarget *
mw_domain_target_new (const char *uri,
                      const char *dest_uri,
                      const char *domain)
{
  MwDomainTarget *target = g_new0 (MwDomainTarget, 1);

  target->uri = g_strdup (uri);
  target->dest_uri = g_strdup (dest_uri);
  target->domain = g_strdup (domain);
  return target;
}

void
mw_domain_target_free (gpointer data)
{
  MwDomainTarget *target = data;

  g_free (target->uri);
  g_free (target->dest_uri);
  g_free (target->domain);
  g_free (target);
}

/* Close watches.
 *
 * libvirt keeps the watch as the close callback's opaque. The callback is registered without a
 * free function because drivers without close callbacks (test, local qemu) accept the
 * registration and never free anything: the registration's reference is dropped by
 * mw_libvirt_close_watch_free once the callback can no longer run. A loss on its way to the
 * context holds a reference too, so user_data lives until it is done. */

struct _MwLibvirtCloseWatch
{
  virConnectPtr conn;        /* our reference */
  GMainContext *context;     /* our reference */
  MwLibvirtLostFunc callback;
  gpointer user_data;
  GDestroyNotify destroy;
  int reason;                /* atomic: why libvirt closed it (once per connection) */
  int stopped;               /* atomic: set once the owner let go */
};

static MwLibvirtCloseWatch *
close_watch_ref (MwLibvirtCloseWatch *watch)
{
  return g_atomic_rc_box_acquire (watch);
}

static void
close_watch_clear (gpointer data)
{
  MwLibvirtCloseWatch *watch = data;

  if (watch->destroy != NULL)
    watch->destroy (watch->user_data);
  g_main_context_unref (watch->context);
}

/* Any thread. */
static void
close_watch_unref (gpointer watch)
{
  g_atomic_rc_box_release_full (watch, close_watch_clear);
}

static const char *
close_reason_to_string (int reason)
{
  switch (reason)
    {
    case VIR_CONNECT_CLOSE_REASON_ERROR:
      return _("The connection failed because of a network or protocol error.");
    case VIR_CONNECT_CLOSE_REASON_EOF:
      return _("The host closed the connection.");
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
      return _("The host stopped answering.");
    case VIR_CONNECT_CLOSE_REASON_CLIENT:
      return _("The connection was closed.");
    default:
      return _("The connection was lost.");
    }
}

/* On the watch's context. */
static gboolean
on_loss_cb (gpointer data)
{
  MwLibvirtCloseWatch *watch = data;
  int reason = g_atomic_int_get (&watch->reason);

  if (!g_atomic_int_get (&watch->stopped))
    watch->callback (reason, close_reason_to_string (reason), watch->user_data);
  return G_SOURCE_REMOVE;
}

/* Any thread, whichever noticed the drop: hands it to the watch's context. */
static void
on_connection_closed_cb (virConnectPtr  conn,
                         int            reason,
                         void          *opaque)
{
  MwLibvirtCloseWatch *watch = opaque;
  g_autoptr(GSource) source = NULL;

  if (g_atomic_int_get (&watch->stopped))
    return;

  g_atomic_int_set (&watch->reason, reason);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, on_loss_cb, close_watch_ref (watch), close_watch_unref);
  g_source_attach (source, watch->context);
}

MwLibvirtCloseWatch *
mw_libvirt_watch_close (virConnectPtr      conn,
                        GMainContext      *context,
                        MwLibvirtLostFunc  callback,
                        gpointer           user_data,
                        GDestroyNotify     destroy)
{
  MwLibvirtCloseWatch *watch;

  g_return_val_if_fail (conn != NULL, NULL);
  g_return_val_if_fail (callback != NULL, NULL);

  watch = g_atomic_rc_box_new0 (MwLibvirtCloseWatch);
  watch->context = g_main_context_ref (context != NULL ? context : g_main_context_default ());
  watch->callback = callback;
  watch->user_data = user_data;
  watch->destroy = destroy;

  if (virConnectRegisterCloseCallback (conn, on_connection_closed_cb, watch, NULL) < 0)
    {
      virResetLastError ();
      close_watch_unref (watch);
      return NULL;
    }

  /* The registration holds the first reference; mw_libvirt_close_watch_free drops it. */
  watch->conn = conn;
  virConnectRef (conn);
  return watch;
}

void
mw_libvirt_close_watch_free (MwLibvirtCloseWatch *watch)
{
  if (watch == NULL)
    return;

  g_atomic_int_set (&watch->stopped, TRUE);
  virConnectUnregisterCloseCallback (watch->conn, on_connection_closed_cb);
  virConnectClose (watch->conn);
  /* Failures here (a dead connection) are expected and interest nobody. */
  virResetLastError ();
  close_watch_unref (watch);
}
