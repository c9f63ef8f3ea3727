/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-libvirt.c: process-wide libvirt set-up and libvirt errors as GErrors. */

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <libvirt/virterror.h>
#include <libvirt-glib/libvirt-glib.h>

#include "mw-libvirt.h"

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
