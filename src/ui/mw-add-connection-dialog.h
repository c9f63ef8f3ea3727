/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-add-connection-dialog.h: add any libvirt connection, its URI built from a few choices.
 * An MwConnectionAdder: `connections`, `uri` and connection-added come from there. */
#pragma once

#include <adwaita.h>

#include "mw-connection-adder.h"

G_BEGIN_DECLS

#define MW_TYPE_ADD_CONNECTION_DIALOG (mw_add_connection_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MwAddConnectionDialog, mw_add_connection_dialog, MW, ADD_CONNECTION_DIALOG,
                      MwConnectionAdder)

MwAddConnectionDialog *mw_add_connection_dialog_new      (GtkWindow             *parent,
                                                          MwConnectionList      *connections);
/* The URI the fields describe, or NULL while they are not valid. */
const char            *mw_add_connection_dialog_get_uri  (MwAddConnectionDialog *self);
/* The message shown for the current input, or NULL when it is valid. */
const char            *mw_add_connection_dialog_get_message (MwAddConnectionDialog *self);

G_END_DECLS
