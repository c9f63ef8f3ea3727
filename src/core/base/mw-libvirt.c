/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-libvirt.c: process-wide libvirt set-up and libvirt errors as GErrors. */

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <libvirt/virterror.h>
#include <libvirt-glib/libvirt-glib.h>

#include "mw-credentials.h"
#include "mw-libvirt.h"
#include "mw-shell.h"
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

/* How often a person is asked again after the host refused what they typed. */
#define MAX_AUTH_ATTEMPTS 5

static int auth_credential_types[] = {
  VIR_CRED_AUTHNAME,
  VIR_CRED_PASSPHRASE,
  VIR_CRED_ECHOPROMPT,
  VIR_CRED_NOECHOPROMPT,
  VIR_CRED_REALM,
};

/* One virConnectOpenAuth's asking, on the opening worker's stack. */
typedef struct
{
  const char *uri;              /* as the caller named it (the keyring's key) */
  const char *problem;          /* why asked again, or NULL */
  gboolean use_keyring;
  GPtrArray *asked;             /* the requests libvirt was answered (a driver may ask several
                                 * times in one open: the test driver does), to settle after */
  GError *declined;             /* why nobody answered */
} AuthState;

static gboolean
credential_kind (int                type,
                 MwCredentialKind  *kind)
{
  switch (type)
    {
    case VIR_CRED_AUTHNAME:
      *kind = MW_CREDENTIAL_USERNAME;
      return TRUE;
    case VIR_CRED_PASSPHRASE:
      *kind = MW_CREDENTIAL_PASSWORD;
      return TRUE;
    case VIR_CRED_ECHOPROMPT:
      *kind = MW_CREDENTIAL_PROMPT;
      return TRUE;
    case VIR_CRED_NOECHOPROMPT:
      *kind = MW_CREDENTIAL_SECRET_PROMPT;
      return TRUE;
    case VIR_CRED_REALM:
      *kind = MW_CREDENTIAL_REALM;
      return TRUE;
    default:
      return FALSE;
    }
}

/* In the opening worker, called by libvirt: the keyring or the provider answers (which may wait
 * for a person); -1 when nobody does. */
static int
on_auth_cb (virConnectCredentialPtr credentials,
            unsigned int            n_credentials,
            void                   *user_data)
{
  AuthState *state = user_data;
  g_autoptr(MwCredentialRequest) request = mw_credential_request_new (state->uri);
  MwCredentialKind kind;

  for (unsigned int i = 0; i < n_credentials; i++)
    {
      if (!credential_kind (credentials[i].type, &kind))
        return -1;
      mw_credential_request_add (request, kind, credentials[i].prompt, credentials[i].defresult);
    }
  request->problem = g_strdup (state->problem);

  g_clear_error (&state->declined);
  if (!mw_credentials_ask (request, state->use_keyring, &state->declined))
    return -1;

  for (unsigned int i = 0; i < n_credentials; i++)
    {
      const char *value = mw_credential_request_get (request, i)->value;

      /* libvirt frees the results itself, with free (). */
      credentials[i].result = strdup (value != NULL ? value : "");
      credentials[i].resultlen = strlen (credentials[i].result);
    }
  g_ptr_array_add (state->asked, g_steal_pointer (&request));
  return 0;
}

/* The host said no to the answers (as opposed to not answering, or nobody answering). */
static gboolean
last_error_is_refusal (void)
{
  return mw_libvirt_last_error_is (VIR_ERR_AUTH_FAILED);
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
  g_autofree char *known = NULL;
  g_autofree char *qknown = NULL;
  const char *host;
  int code;

  if (last == NULL || last->message == NULL
      || strstr (last->message, "REMOTE HOST IDENTIFICATION HAS CHANGED") == NULL)
    return FALSE;

  code = last->code;
  uri = mw_uri_parse (uri_text, NULL);
  host = uri != NULL && uri->host != NULL ? uri->host : uri_text;
  /* ssh names a host on another port [host]:port in known_hosts */
  if (uri != NULL && uri->host != NULL && uri->port != 0 && uri->port != 22)
    known = g_strdup_printf ("[%s]:%u", uri->host, uri->port);
  qknown = mw_shell_quote (known != NULL ? known : host);
  text = g_strdup_printf (_("The SSH host key of %s has changed since this computer last "
                            "connected to it, so ssh refused to connect: either the host was "
                            "reinstalled, or someone is intercepting the connection. Check the "
                            "new key with the host’s owner; if it is right, remove the old one "
                            "(ssh-keygen -R %s) and connect again."), host, qknown);
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
  return mw_libvirt_open_full (uri_text, 0, prefix, error);
}

virConnectPtr
mw_libvirt_open_full (const char    *uri_text,
                      unsigned int   flags,
                      const char    *prefix,
                      GError       **error)
{
  g_autofree char *uri = NULL;
  AuthState state = { uri_text, NULL, TRUE, NULL, NULL };
  g_autoptr(GPtrArray) asked = g_ptr_array_new_with_free_func (
    (GDestroyNotify) mw_credential_request_free);
  virConnectAuth auth = {
    auth_credential_types, G_N_ELEMENTS (auth_credential_types), on_auth_cb, &state
  };
  virConnectPtr conn = NULL;

  g_return_val_if_fail (uri_text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The last gate for a URI from anywhere (settings, the command line, a peer): nothing that
   * turns host-key checking off or names a program to run reaches libvirt. */
  if (!mw_uri_check_query (uri_text, error))
    return NULL;
  uri = mw_libvirt_uri_no_tty (uri_text);
  state.asked = asked;
  for (guint attempt = 1;; attempt++)
    {
      conn = virConnectOpenAuth (uri, &auth, flags);
      for (guint i = 0; i < asked->len; i++)
        mw_credentials_settle (g_ptr_array_index (asked, i), conn != NULL);
      if (conn != NULL || asked->len == 0 || !last_error_is_refusal ()
          || attempt == MAX_AUTH_ATTEMPTS)
        break;
      /* Refused: ask a person (never the keyring, whose answers may be what was refused). */
      state.use_keyring = FALSE;
      state.problem = _("The host did not accept this username and password. Check them and "
                        "try again.");
      g_ptr_array_set_size (asked, 0);
      virResetLastError ();
    }

  if (conn == NULL)
    {
      if (state.declined != NULL)
        {
          virResetLastError ();
          if (prefix != NULL && *prefix != '\0')
            g_prefix_error (&state.declined, "%s: ", prefix);
          g_propagate_error (error, g_steal_pointer (&state.declined));
        }
      else if (!set_host_key_error (error, uri_text, prefix)
               && !mw_libvirt_set_refused_error (error, uri_text, prefix))
        mw_libvirt_set_error (error, prefix);
      return NULL;
    }
  g_clear_error (&state.declined);
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
