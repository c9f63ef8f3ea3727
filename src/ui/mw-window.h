/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-application.h"
#include "mw-import-dialog.h"
#include "mw-migration-wizard.h"

G_BEGIN_DECLS

#define MW_TYPE_WINDOW (mw_window_get_type ())

G_DECLARE_FINAL_TYPE (MwWindow, mw_window, MW, WINDOW, AdwApplicationWindow)

MwWindow   *mw_window_new                 (MwApplication *application);
/* Connects in the background; failures show on the connection's row and page. */
void        mw_window_connect             (MwWindow      *self,
                                           MwConnection  *connection);
/* NULL selects "All connections". */
void        mw_window_select_connection   (MwWindow      *self,
                                           MwConnection  *connection);
MwConnection *mw_window_get_selected_connection (MwWindow *self);
/* The domains as listed: filtered and sorted. For tests. */
GListModel *mw_window_get_visible_domains (MwWindow      *self);
void        mw_window_set_filter_text     (MwWindow      *self,
                                           const char    *text);
/* Opens the migration wizard on domain, with destination chosen when it can be used. */
MwMigrationWizard *mw_window_open_migration (MwWindow     *self,
                                             MwDomain     *domain,
                                             MwConnection *destination);
/* --migrate: connects both ends if needed, then opens the wizard on the named domain of from,
 * or says in a dialog why it cannot. */
void        mw_window_migrate_when_connected (MwWindow     *self,
                                              MwConnection *from,
                                              const char   *domain_name,
                                              MwConnection *to);
/* Opens the import dialog on the connections Virtual Machine Manager has and the list lacks, and
 * returns it (the window owns it); NULL when there are none. first_start: only when they were
 * never offered, and silently; else a toast says why nothing opened. */
MwImportDialog *mw_window_offer_virt_manager (MwWindow *self,
                                              gboolean  first_start);

G_END_DECLS
