/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The renderer choice made before GTK starts: cairo without GL when GL would be software,
 * and never against a renderer the user set. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "mw-application-renderer.h"

static const char *const vars[] = { "GSK_RENDERER", "GDK_DEBUG", "LIBGL_ALWAYS_SOFTWARE" };

typedef struct
{
  char *no_gpu;     /* an empty /dev/dri */
  char *gpu;        /* one with a render node */
  char *saved[G_N_ELEMENTS (vars)];
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *node = NULL;

  fixture->no_gpu = g_dir_make_tmp ("mw-dri-XXXXXX", NULL);
  fixture->gpu = g_dir_make_tmp ("mw-dri-XXXXXX", NULL);
  g_assert_nonnull (fixture->no_gpu);
  g_assert_nonnull (fixture->gpu);
  node = g_build_filename (fixture->gpu, "renderD128", NULL);
  g_assert_true (g_file_set_contents (node, "", 0, NULL));
  g_assert_cmpint (g_chmod (node, 0666), ==, 0);
  /* card0 alone (a display-only driver) gives GL no GPU. */
  g_free (node);
  node = g_build_filename (fixture->no_gpu, "card0", NULL);
  g_assert_true (g_file_set_contents (node, "", 0, NULL));

  /* The suite's environment sets GSK_RENDERER=cairo: each case starts from nothing set. A
   * child keeps what its parent case set. */
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      fixture->saved[i] = g_strdup (g_getenv (vars[i]));
      if (!g_test_subprocess ())
        g_unsetenv (vars[i]);
    }
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      if (fixture->saved[i] != NULL)
        g_setenv (vars[i], fixture->saved[i], TRUE);
      else
        g_unsetenv (vars[i]);
      g_free (fixture->saved[i]);
    }
  remove_dir (fixture->no_gpu);
  remove_dir (fixture->gpu);
  g_free (fixture->no_gpu);
  g_free (fixture->gpu);
}

static void
test_detect (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->no_gpu, "missing", NULL);

  g_assert_true (mw_application_gl_is_software (fixture->no_gpu));
  g_assert_true (mw_application_gl_is_software (missing));
  g_assert_false (mw_application_gl_is_software (fixture->gpu));

  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "1", TRUE);
  g_assert_true (mw_application_gl_is_software (fixture->gpu));
  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "0", TRUE);
  g_assert_false (mw_application_gl_is_software (fixture->gpu));
}

static void
test_no_gpu (Fixture       *fixture,
             gconstpointer  data)
{
  g_assert_true (mw_application_choose_renderer (fixture->no_gpu));
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");
}

static void
test_gpu (Fixture       *fixture,
          gconstpointer  data)
{
  g_assert_false (mw_application_choose_renderer (fixture->gpu));
  g_assert_null (g_getenv ("GSK_RENDERER"));
  g_assert_null (g_getenv ("GDK_DEBUG"));
}

static void
test_user_renderer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_assert_false (mw_application_choose_renderer (fixture->no_gpu));
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
  g_assert_null (g_getenv ("GDK_DEBUG"));

  /* The user's cairo stays, and GL (used by GDK 4.8 for the visual only) goes. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_assert_true (mw_application_choose_renderer (fixture->no_gpu));
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");
}

static void
test_user_gdk_debug (Fixture       *fixture,
                     gconstpointer  data)
{
  /* Other keys are kept; a gl- key is the user choosing GL. */
  g_setenv ("GDK_DEBUG", "nograbs", TRUE);
  g_assert_true (mw_application_choose_renderer (fixture->no_gpu));
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "nograbs:gl-disable");

  g_unsetenv ("GSK_RENDERER");
  g_setenv ("GDK_DEBUG", "nograbs gl-glx", TRUE);
  g_assert_false (mw_application_choose_renderer (fixture->no_gpu));
  g_assert_null (g_getenv ("GSK_RENDERER"));
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "nograbs gl-glx");
}

/* In a child: choose, start GTK, show a window, print the renderer it got and whether GDK
 * could have GL. The parent never starts GTK, so each child makes its choice afresh. */
static void
show_window_and_report (const char *dri_dir)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GskRenderer *renderer;

  mw_application_choose_renderer (dri_dir);
  gtk_init ();
  window = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (window));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_assert_nonnull (renderer);
  g_print ("renderer=%s gl=%s\n", G_OBJECT_TYPE_NAME (renderer),
           gdk_display_prepare_gl (gdk_display_get_default (), &error) ? "yes" : "no");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_no_gpu (Fixture       *fixture,
                    gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      show_window_and_report (g_getenv ("MW_TEST_DRI_DIR"));
      return;
    }

  g_setenv ("MW_TEST_DRI_DIR", fixture->no_gpu, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*renderer=GskCairoRenderer gl=no*");
}

static void
test_window_user_gl (Fixture       *fixture,
                     gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      show_window_and_report (g_getenv ("MW_TEST_DRI_DIR"));
      return;
    }

  /* Under Xvfb GL is llvmpipe's, so it works, slowly: the user asked for it. */
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_setenv ("MW_TEST_DRI_DIR", fixture->no_gpu, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*renderer=GskGLRenderer gl=yes*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/mw/renderer/detect", test_detect);
  ADD ("/mw/renderer/no-gpu", test_no_gpu);
  ADD ("/mw/renderer/gpu", test_gpu);
  ADD ("/mw/renderer/user-renderer", test_user_renderer);
  ADD ("/mw/renderer/user-gdk-debug", test_user_gdk_debug);
  ADD ("/mw/renderer/window-no-gpu", test_window_no_gpu);
  ADD ("/mw/renderer/window-user-gl", test_window_user_gl);
#undef ADD

  return g_test_run ();
}
