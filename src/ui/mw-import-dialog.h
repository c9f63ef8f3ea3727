/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-import-dialog.h: the connections of Virtual Machine Manager that the list lacks, one check
 * row each, all checked at first; Add adds the checked ones (marked to connect at start when
 * virt-manager does) and connects those. An MwConnectionAdder: `connections` and
 * connection-added come from there. Main thread. */
#pragma once

#include <adwaita.h>

#include "mw-connection-adder.h"

G_BEGIN_DECLS

#define MW_TYPE_IMPORT_DIALOG (mw_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MwImportDialog, mw_import_dialog, MW, IMPORT_DIALOG, MwConnectionAdder)

/* uris: those to offer (not empty); autoconnect: the subset virt-manager opens at start. */
MwImportDialog *mw_import_dialog_new         (GtkWindow          *parent,
                                              MwConnectionList   *connections,
                                              const char * const *uris,
                                              const char * const *autoconnect);
/* The URIs listed, in order. For tests. */
const char * const *mw_import_dialog_get_uris (MwImportDialog    *self);
/* Checks or unchecks the row of uri, as a click would. FALSE when it is not listed. */
gboolean        mw_import_dialog_set_chosen  (MwImportDialog     *self,
                                              const char         *uri,
                                              gboolean            chosen);

G_END_DECLS
