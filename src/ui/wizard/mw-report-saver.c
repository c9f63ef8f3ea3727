/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-report-saver.c: the report's JSON and CSV (MwReport writes both) and the chart's PNG are
 * written at the same time; the task returns when both are done, with the first error. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-report-saver.h"

GtkFileChooserNative *
mw_report_saver_new_chooser (GtkWindow  *parent,
                             const char *domain_name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);

  /* Translators: a file name; %s are the domain's name and a time stamp */
  name = g_strdup_printf (_("%s-migration-%s.json"), domain_name, stamp);
  chooser = gtk_file_chooser_native_new (_("Save Report"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("Migration report (JSON, with CSV and PNG beside it)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  return chooser;
}

typedef struct
{
  guint pending;
  GError *error;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

/* Both writes end here: the report's (source object an MwReport) and the PNG's (a GFile). */
static void
on_written_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (MW_IS_REPORT (object))
    mw_report_write_finish (MW_REPORT (object), result, &error);
  else
    g_file_replace_contents_finish (G_FILE (object), result, NULL, &error);

  if (error != NULL && data->error == NULL)
    data->error = error;
  else if (error != NULL)
    g_error_free (error);

  if (--data->pending > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

/* The chart card as the user sees it; rendering needs the main thread, writing does not. */
static GBytes *
render_chart_png (GtkWidget *card)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkNative *native;
  GskRenderer *renderer;
  int width, height;

  if (card == NULL || !gtk_widget_is_drawable (card))
    return NULL;

  width = gtk_widget_get_width (card);
  height = gtk_widget_get_height (card);
  native = gtk_widget_get_native (card);
  renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  if (width <= 0 || height <= 0 || renderer == NULL)
    return NULL;

  paintable = gtk_widget_paintable_new (card);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL)
    return NULL;

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png_bytes (texture);
}

static GFile *
sibling_with_extension (GFile      *json_file,
                        const char *extension)
{
  g_autofree char *basename = g_file_get_basename (json_file);
  g_autoptr(GFile) parent = g_file_get_parent (json_file);
  g_autofree char *stem = g_str_has_suffix (basename, ".json")
                            ? g_strndup (basename, strlen (basename) - strlen (".json"))
                            : g_strdup (basename);
  g_autofree char *name = g_strconcat (stem, extension, NULL);

  return g_file_get_child (parent, name);
}

void
mw_report_saver_save_async (gpointer             source_object,
                            MwMigrationJob      *job,
                            GtkWidget           *chart_card,
                            GFile               *json_file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MwReport) report = NULL;
  g_autoptr(GFile) csv_file = NULL;
  g_autoptr(GFile) png_file = NULL;
  g_autoptr(GBytes) png = NULL;
  SaveData *data;

  g_return_if_fail (job == NULL || MW_IS_MIGRATION_JOB (job));
  g_return_if_fail (chart_card == NULL || GTK_IS_WIDGET (chart_card));
  g_return_if_fail (G_IS_FILE (json_file));

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_report_saver_save_async);

  if (job == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("Nothing to save: no migration ran."));
      return;
    }

  data = g_new0 (SaveData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  report = mw_migration_job_create_report (job);
  csv_file = sibling_with_extension (json_file, ".csv");
  png_file = sibling_with_extension (json_file, ".png");
  png = render_chart_png (chart_card);

  data->pending = png != NULL ? 2 : 1;
  mw_report_write_async (report, json_file, csv_file, cancellable, on_written_cb,
                         g_object_ref (task));
  if (png != NULL)
    g_file_replace_contents_bytes_async (png_file, png, NULL, FALSE,
                                         G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                                         on_written_cb, g_object_ref (task));
}

gboolean
mw_report_saver_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_report_saver_save_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
mw_report_saver_describe (GFile        *json_file,
                          const GError *error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (json_file), NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  if (error != NULL)
    /* Translators: %s is why the report could not be written */
    return g_strdup_printf (_("Could not save the report: %s"), error->message);

  name = g_file_get_basename (json_file);
  /* Translators: %s is the JSON file's name; a CSV and a PNG are written beside it */
  return g_strdup_printf (_("Saved %s, with its CSV and chart"), name);
}
