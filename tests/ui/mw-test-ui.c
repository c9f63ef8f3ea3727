/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mw-test-ui.h"

#include "mw-uri.h"

gboolean
mw_test_wait_until (MwTestCondition condition,
                    gpointer        data,
                    guint           timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

typedef struct
{
  guint painted;
  guint wanted;
  GtkWidget *widget;
} FrameWait;

/* Each frame asks for the next: a window with nothing animating paints only when asked, and
 * asking only after a 5 s wait made three frames take ten seconds. */
static void
on_after_paint_cb (GdkFrameClock *clock,
                   FrameWait     *wait)
{
  if (++wait->painted < wait->wanted)
    gtk_widget_queue_draw (wait->widget);
}

static gboolean
frames_done (gpointer data)
{
  FrameWait *wait = data;

  return wait->painted >= wait->wanted;
}

void
mw_test_wait_frames (GtkWidget *widget,
                     guint      n_frames)
{
  FrameWait wait = { 0, n_frames, widget };
  GdkFrameClock *clock;
  gulong id;

  g_assert_true (mw_test_wait_until ((MwTestCondition) gtk_widget_get_mapped, widget, 5000));
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &wait);
  gtk_widget_queue_draw (widget);
  /* Xvfb frames come at the frame clock's pace; keep the draws coming. */
  while (!frames_done (&wait))
    {
      gtk_widget_queue_draw (widget);
      g_assert_true (mw_test_wait_until (frames_done, &wait, 5000) || wait.painted > 0);
    }
  g_signal_handler_disconnect (clock, id);
}

char *
mw_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  const char *dir = g_getenv ("MW_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;
  int width, height;
  GskRenderer *renderer;

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file, NULL);

  mw_test_wait_frames (widget, 2);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%dx%d)", path, width, height);

  return path;
}

GtkWidget *
mw_test_find_widget (GtkWidget  *root,
                     GType       type,
                     gboolean  (*match) (GtkWidget *widget, gpointer data),
                     gpointer    data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mw_test_find_widget (child, type, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

MwApplication *
mw_test_app_new (void)
{
  MwApplication *app = mw_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

gboolean
mw_test_demo_connected (gpointer app)
{
  GListModel *connections = G_LIST_MODEL (mw_application_get_connections (app));
  guint n = g_list_model_get_n_items (connections);
  guint demo = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (connections, i);

      if (!mw_uri_is_demo (mw_connection_get_uri (connection)))
        continue;
      if (mw_connection_get_state (connection) != MW_CONNECTION_STATE_CONNECTED)
        return FALSE;
      demo++;
    }

  return demo >= 2;
}

MwConnection *
mw_test_find_demo (MwApplication *app,
                   const char    *file)
{
  GListModel *connections = G_LIST_MODEL (mw_application_get_connections (app));
  guint n = g_list_model_get_n_items (connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (connections, i);

      /* The list holds its own reference: the pointer outlives this one. */
      if (g_str_has_suffix (mw_connection_get_uri (connection), file))
        return connection;
    }

  return NULL;
}

static void
on_stored_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (mw_secrets_store_finish (result, NULL));
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
mw_test_keyring_store (const char *host,
                       guint       port,
                       const char *user,
                       const char *password)
{
  gboolean done = FALSE;

  mw_secrets_store_async (host, port, user, password, NULL, on_stored_cb, &done);
  g_assert_true (mw_test_wait_until (is_true, &done, 5000));
}
