/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-credentials-dialog.h: asks for what libvirt wants to open a connection (username,
 * password, a prompt's answer), like virt-manager's "Authentication required" dialog: the URI,
 * a row per credential, "Remember in keyring"; Enter in the last row connects. */
#pragma once

#include <adwaita.h>

#include "mw-credentials.h"

G_BEGIN_DECLS

#define MW_TYPE_CREDENTIALS_DIALOG (mw_credentials_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MwCredentialsDialog, mw_credentials_dialog, MW, CREDENTIALS_DIALOG,
                      AdwWindow)

/* The rows follow request's fields; its defaults fill them in, its problem is shown. */
MwCredentialsDialog *mw_credentials_dialog_new      (GtkWindow                 *parent,
                                                     const MwCredentialRequest *request);
/* Copies what was typed (and the remember choice) into request, which asks the same fields. */
void                 mw_credentials_dialog_fill     (MwCredentialsDialog       *self,
                                                     MwCredentialRequest       *request);
/* The rows, one per field, for tests. */
guint                mw_credentials_dialog_get_n_rows (MwCredentialsDialog     *self);
GtkEditable         *mw_credentials_dialog_get_row  (MwCredentialsDialog       *self,
                                                     guint                      i);
const char          *mw_credentials_dialog_get_problem (MwCredentialsDialog    *self);

/* Signal "finished" (gboolean accepted): emitted once, when the person connects (TRUE), or
 * cancels, closes the dialog or its parent goes (FALSE). The dialog destroys itself after it;
 * handlers read the answers with mw_credentials_dialog_fill during the emission. */

G_END_DECLS
