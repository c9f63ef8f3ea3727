/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-libvirt-refused.c: a local libvirt that will not let this user in, told as what to do.
 *
 * A user who is not in the "libvirt" group gets from qemu:///system either the socket's
 * "Permission denied" or polkit's "no polkit agent available" / "access denied by policy": both
 * mean the same to them, and neither says what to do about it. */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-uri.h"

/* A connection to a daemon on this computer that the URI asks for as a privileged one. */
static gboolean
is_local_system (const char *uri_text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (uri_text, NULL);

  return uri != NULL && uri->transport == MW_TRANSPORT_LOCAL
         && uri->hypervisor != MW_HYPERVISOR_TEST && uri->hypervisor != MW_HYPERVISOR_QEMU_SESSION
         && g_strcmp0 (uri->path, "/session") != 0;
}

/* The socket's permissions, or polkit's verdict on org.libvirt.unix.manage (not a credential
 * that was asked for and refused: that is the credentials dialog's). */
static gboolean
is_refusal (int         code,
            int         sys_errno,
            const char *message)
{
  switch (code)
    {
    case VIR_ERR_AUTH_FAILED:
    case VIR_ERR_AUTH_CANCELLED:
    case VIR_ERR_AUTH_UNAVAILABLE:
      return message != NULL
             && (strstr (message, "polkit") != NULL
                 || strstr (message, "denied by policy") != NULL);
    case VIR_ERR_SYSTEM_ERROR:
      return sys_errno == EACCES || sys_errno == EPERM
             || (message != NULL && strstr (message, "Permission denied") != NULL);
    default:
      return FALSE;
    }
}

char *
mw_libvirt_explain_refusal (const char *uri,
                            int         code,
                            int         sys_errno,
                            const char *message)
{
  g_return_val_if_fail (uri != NULL, NULL);

  if (!is_local_system (uri) || !is_refusal (code, sys_errno, message))
    return NULL;

  return g_strdup_printf (_("libvirt on this computer does not let the user %1$s manage its "
                            "virtual machines (%2$s). Ask an administrator to add you to the "
                            "“libvirt” group (sudo adduser %1$s libvirt), then log out and log in "
                            "again and connect again; or connect to qemu:///session instead, "
                            "for virtual machines of your own."),
                          g_get_user_name (), uri);
}

gboolean
mw_libvirt_set_refused_error (GError     **error,
                              const char  *uri,
                              const char  *prefix)
{
  virErrorPtr last = virGetLastError ();
  g_autofree char *text = NULL;
  int code;

  if (last == NULL)
    return FALSE;
  text = mw_libvirt_explain_refusal (uri, last->code, last->int1, last->message);
  if (text == NULL)
    return FALSE;

  /* libvirt's own words help whoever debugs the host, not the user who reads the sentence. */
  g_debug ("libvirt refused %s: %s", uri, last->message != NULL ? last->message : "(no message)");
  code = last->code;
  if (prefix != NULL && *prefix != '\0')
    g_set_error (error, MW_LIBVIRT_ERROR, code, "%s: %s", prefix, text);
  else
    g_set_error_literal (error, MW_LIBVIRT_ERROR, code, text);
  virResetLastError ();
  return TRUE;
}
