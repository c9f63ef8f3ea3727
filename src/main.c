/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mw-application.h"
#include "mw-libvirt.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MwApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* libvirt's events and keepalives are dispatched by the GLib main loop from here on. */
  mw_libvirt_init ();

  app = mw_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
