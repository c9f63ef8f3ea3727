/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-libvirt.h: process-wide libvirt set-up and libvirt errors as GErrors. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

#define MW_LIBVIRT_ERROR (mw_libvirt_error_quark ())

/* libvirt's "no migration speed limit" (QEMU_DOMAIN_MIG_BANDWIDTH_MAX, INT64_MAX bytes/s in
 * MiB/s): what `virsh migrate-getspeed` shows on a guest nobody capped. */
#define MW_LIBVIRT_SPEED_UNLIMITED_MIB_S ((guint64) (G_MAXINT64 / (1024 * 1024)))

GQuark   mw_libvirt_error_quark  (void);

/* Call once from main() before any main loop runs: ignores SIGPIPE (pipes to ssh), initialises
 * libvirt, registers the GLib event loop implementation (gvir_event_register) so events and
 * keepalives are dispatched on the default main context, and stops libvirt printing errors on
 * stderr. Idempotent. */
void     mw_libvirt_init         (void);

/* Turns the calling thread's last libvirt error into a GError (MW_LIBVIRT_ERROR, code = the
 * virErrorNumber). libvirt keeps errors per thread: call this in the worker that failed.
 * prefix, when given, is put before libvirt's own text ("Could not connect: …"). */
void     mw_libvirt_set_error    (GError    **error,
                                  const char *prefix);

/* TRUE when the calling thread's last libvirt error has this virErrorNumber (VIR_ERR_NO_DOMAIN:
 * the host answered that it has no such domain, as opposed to not answering). */
gboolean mw_libvirt_last_error_is (int code);

/* The URI as a connection that must not wait for a person opens it: ssh URIs get no_tty=1, so
 * ssh fails instead of prompting, unless the URI already says. Pure. */
char         *mw_libvirt_uri_no_tty (const char *uri);

/* Worker. Opens a libvirt connection: ssh URIs get no_tty=1 (ssh's own prompt fails instead),
 * a keepalive of 5 s × 3 notices a dead peer, and the credentials libvirt asks for (SASL's
 * username and password) come from the keyring or the process's provider (mw-credentials.h),
 * which may wait for a person; when the host refuses them the provider is asked again, saying
 * so. Nobody to ask: the error says so (G_IO_ERROR_CANCELLED when the person declined). prefix
 * as for mw_libvirt_set_error. */
virConnectPtr mw_libvirt_open    (const char *uri,
                                  const char *prefix,
                                  GError    **error);
/* Worker. The same with virConnectOpenAuth's flags (VIR_CONNECT_RO: a read-only connection). */
virConnectPtr mw_libvirt_open_full (const char    *uri,
                                    unsigned int   flags,
                                    const char    *prefix,
                                    GError       **error);

/* A local privileged URI (qemu:///system) that libvirt refused to this user, because of the
 * socket's permissions or polkit (code, sys_errno and message as in libvirt's virError: code,
 * int1, message): a sentence that says what to do (join the "libvirt" group and log in again, or
 * use qemu:///session). NULL when the error is not such a refusal. Any thread. */
char         *mw_libvirt_explain_refusal   (const char *uri,
                                            int         code,
                                            int         sys_errno,
                                            const char *message);

/* Worker, after a failed open of uri: when the thread's last libvirt error is such a refusal,
 * sets error to that sentence (after prefix, as for mw_libvirt_set_error), clears libvirt's
 * error and returns TRUE; else touches nothing and returns FALSE. mw_libvirt_open calls it. */
gboolean      mw_libvirt_set_refused_error (GError    **error,
                                            const char *uri,
                                            const char *prefix);

/* Worker. Looks domain up by UUID when it is one (then by name, should a domain be called so),
 * else by name. On failure sets error as mw_libvirt_set_error (error, prefix) does, so
 * g_error_matches (error, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN) tells "the host has no such
 * domain" from "the host did not answer". */
virDomainPtr  mw_libvirt_lookup_domain (virConnectPtr  conn,
                                        const char    *domain,
                                        const char    *prefix,
                                        GError       **error);

/* Any thread, meant for destroy notifies and finalizers, which may run on the main thread:
 * calls release (data) in a worker thread and returns at once. For letting go of libvirt objects
 * where that can block on the network: the last virConnectClose of a remote connection (an RPC),
 * virStorageVolDelete, deregistering events, virDomainFree of a remote domain. The worker clears
 * its thread's libvirt error afterwards. data must not be used by the caller any more. */
void          mw_libvirt_release_in_worker (GDestroyNotify release,
                                            gpointer       data);

/* What a worker about a domain is given: copies of which domain on which hosts, as GTask data
 * (g_task_set_task_data (task, mw_domain_target_new (…), mw_domain_target_free)). */
typedef struct
{
  char *uri;        /* the host (for a migration: its source) */
  char *dest_uri;   /* the destination of a migration, or NULL */
  char *domain;     /* a name or a UUID, or NULL for the host alone */
} MwDomainTarget;

MwDomainTarget *mw_domain_target_new  (const char *uri,
                                       const char *dest_uri,
                                       const char *domain);
void            mw_domain_target_free (gpointer    target);

/* A dropped connection, told to the main context that asked. */
typedef struct _MwLibvirtCloseWatch MwLibvirtCloseWatch;

/* reason: libvirt's virConnectCloseReason; message: the same as one plain translated sentence
 * ("The host stopped answering."). */
typedef void (*MwLibvirtLostFunc) (int         reason,
                                   const char *message,
                                   gpointer    user_data);

/* Worker. Registers conn's close callback: when the connection drops (EOF, keepalive timeout, a
 * network or protocol error), callback runs once on context (NULL: the default main context),
 * however libvirt noticed it (libvirt calls close callbacks on any thread, even one blocked in a
 * libvirt call). The watch keeps a reference to conn. user_data belongs to the watch from here
 * on: destroy (may be NULL) releases it, on any thread, once no call to callback can follow.
 * Returns NULL, having released user_data, when the driver takes no close callback (one is
 * registered already). Drivers without close callbacks (test, local qemu) take one and never
 * call it. */
MwLibvirtCloseWatch *mw_libvirt_watch_close      (virConnectPtr      conn,
                                                   GMainContext      *context,
                                                   MwLibvirtLostFunc  callback,
                                                   gpointer           user_data,
                                                   GDestroyNotify     destroy);
/* Any thread, but it is a libvirt call (it takes the connection's lock): call it in a worker,
 * before closing conn. Unregisters the callback; a loss already on its way to the context is
 * dropped as well, unless the context is dispatching it at that very moment: callers that must
 * not hear of it check their own state in callback. */
void                 mw_libvirt_close_watch_free (MwLibvirtCloseWatch *watch);

G_END_DECLS
