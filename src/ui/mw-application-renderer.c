/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-application-renderer.c: cairo instead of GL when GL would be drawn on the CPU.
 *
 * Without a GPU (most admin VMs, Xvfb, VNC) GTK 4.8's default GL renderer runs on Mesa's
 * llvmpipe: creating its context compiles shaders on the CPU and maps libLLVM, which costs
 * about a second and 100 MiB at start-up (bench/README.md). Even GSK_RENDERER=cairo alone
 * leaves GDK opening GL on X11 to choose a visual. The list and charts draw the same with
 * cairo, so when there is no render node to give GL a GPU, the app asks for cairo and tells
 * GDK to leave GL alone, before GTK starts. */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "mw-application-renderer.h"

#define GL_DISABLE "gl-disable"

static gboolean
env_is_true (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' && !g_str_equal (value, "0") &&
         g_ascii_strcasecmp (value, "false") != 0;
}

gboolean
mw_application_gl_is_software (const char *dri_dir)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (dri_dir != NULL, TRUE);

  if (env_is_true ("LIBGL_ALWAYS_SOFTWARE"))
    return TRUE;

  /* A kernel GPU driver with 3D support exposes a render node; display-only ones (QXL,
   * bochs, cirrus, simpledrm, virtio-gpu without virgl) do not. */
  if ((dir = g_dir_open (dri_dir, 0, NULL)) == NULL)
    return TRUE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, "renderD"))
        continue;
      path = g_build_filename (dri_dir, name, NULL);
      if (g_access (path, R_OK | W_OK) == 0)
        return FALSE;
    }

  return TRUE;
}

/* GDK_DEBUG names a gl- key (gl-disable, gl-glx, gl-egl, …): the user is choosing GL. */
static gboolean
gdk_debug_names_gl (const char *gdk_debug)
{
  g_auto(GStrv) keys = NULL;

  if (gdk_debug == NULL)
    return FALSE;
  keys = g_strsplit_set (gdk_debug, ":;, \t", -1);
  for (guint i = 0; keys[i] != NULL; i++)
    if (g_str_has_prefix (keys[i], "gl-") || g_str_equal (keys[i], "all"))
      return TRUE;
  return FALSE;
}

gboolean
mw_application_choose_renderer (const char *dri_dir)
{
  const char *renderer = g_getenv ("GSK_RENDERER");
  const char *gdk_debug = g_getenv ("GDK_DEBUG");
  g_autofree char *debug = NULL;

  g_return_val_if_fail (dri_dir != NULL, FALSE);

  if (renderer != NULL && *renderer != '\0' && !g_str_equal (renderer, "cairo"))
    return FALSE;
  if (gdk_debug_names_gl (gdk_debug))
    return FALSE;
  if (!mw_application_gl_is_software (dri_dir))
    return FALSE;

  /* GDK 4.8 splits GDK_DEBUG at ':' and spaces. */
  debug = gdk_debug != NULL && *gdk_debug != '\0' ? g_strconcat (gdk_debug, ":" GL_DISABLE, NULL)
                                                  : g_strdup (GL_DISABLE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_DEBUG", debug, TRUE);
  return TRUE;
}
