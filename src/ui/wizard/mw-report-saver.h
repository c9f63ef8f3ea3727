/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-report-saver.h: Save Report… for a migration: the file chooser, and writing the job's
 * report as JSON with the same name in .csv (samples and events) and .png (the chart as shown)
 * beside it. Main thread only: the chart is rendered here, the files are written by GIO's async
 * I/O and the report's own worker. */
#pragma once

#include <gtk/gtk.h>

#include "mw-migration-job.h"

G_BEGIN_DECLS

/* A modal save dialog over parent, suggesting "<domain>-migration-<time stamp>.json". */
GtkFileChooserNative *mw_report_saver_new_chooser  (GtkWindow            *parent,
                                                    const char           *domain_name);

/* Writes job's report to json_file and its siblings. chart_card, when drawable, is rendered
 * into the PNG (none is written otherwise). The result's source object is source_object. A
 * NULL job fails: nothing ran. */
void                  mw_report_saver_save_async   (gpointer              source_object,
                                                    MwMigrationJob       *job,
                                                    GtkWidget            *chart_card,
                                                    GFile                *json_file,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean              mw_report_saver_save_finish  (GAsyncResult         *result,
                                                    GError              **error);

/* What to tell the user after save_finish () (error: its error), or NULL when cancelled. */
char                 *mw_report_saver_describe     (GFile                *json_file,
                                                    const GError         *error);

G_END_DECLS
