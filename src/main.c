/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mw-i18n.h"
#include "mw-application.h"
#include "mw-application-renderer.h"
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

  /* Before GTK starts: without a GPU, cairo rather than GL drawn by the CPU (unless the user
   * set GSK_RENDERER). */
  if (mw_application_choose_renderer (MW_DRI_DIR))
    g_debug ("No GPU render node in %s: drawing with cairo, OpenGL off", MW_DRI_DIR);

  /* libvirt's events and keepalives are dispatched by the GLib main loop from here on. */
  mw_libvirt_init ();

  app = mw_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
