/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mw-i18n.h"
#include "mw-application.h"
#include "mw-libvirt.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MwApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* MW_LOCALEDIR: catalogues compiled in a build tree (the uninstalled app, the tests). */
  bindtextdomain (GETTEXT_PACKAGE, mw_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* libvirt's events and keepalives are dispatched by the GLib main loop from here on. */
  mw_libvirt_init ();

  app = mw_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
