/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection-adder.h: the base of the windows that end by adding one connection to the
 * list (MwAddConnectionDialog, MwAddHostWizard), or a few (MwImportDialog).
 *
 * It owns the list (`connections`, construct-only), the URI the window describes (`uri`, NULL
 * while the input is not valid), the message under the fields, and the last step: add, save,
 * emit, close.
 *
 * Signals:
 *   connection-added (MwConnectionAdder *self, MwConnection *connection, gpointer user_data)
 *     After the connection was added to the list and saved (by mw_connection_adder_add, the
 *     window closes next).
 * Main thread only.
 */
#pragma once

#include <adwaita.h>

#include "mw-connection-list.h"

G_BEGIN_DECLS

#define MW_TYPE_CONNECTION_ADDER (mw_connection_adder_get_type ())

G_DECLARE_DERIVABLE_TYPE (MwConnectionAdder, mw_connection_adder, MW, CONNECTION_ADDER, AdwWindow)

struct _MwConnectionAdderClass
{
  AdwWindowClass parent_class;
};

MwConnectionList *mw_connection_adder_get_connections (MwConnectionAdder *self);
const char       *mw_connection_adder_get_uri         (MwConnectionAdder *self);
/* The message shown under the fields, or NULL. */
const char       *mw_connection_adder_get_message     (MwConnectionAdder *self);

/* For subclasses. */
/* Where messages show: a label of the subclass's template, set once from its init. */
void              mw_connection_adder_set_message_label (MwConnectionAdder *self,
                                                         GtkLabel          *label);
/* Takes uri (may be NULL) and notifies `uri`. */
void              mw_connection_adder_take_uri        (MwConnectionAdder *self,
                                                       char              *uri);
/* Shows message (NULL hides the label) in style: "error", "warning", "dim-label" or NULL. */
void              mw_connection_adder_set_message     (MwConnectionAdder *self,
                                                       const char        *message,
                                                       const char        *style);
/* Adds the URI to the list and saves it, emits connection-added and closes the window; FALSE
 * with error (nothing changed) when the list refused it. */
gboolean          mw_connection_adder_add             (MwConnectionAdder *self,
                                                       gboolean           autoconnect,
                                                       GError           **error);
/* Adds uri to the list and saves it, emits connection-added; the window stays. FALSE with error
 * (nothing changed) when the list refused it. */
gboolean          mw_connection_adder_add_uri         (MwConnectionAdder *self,
                                                       const char        *uri,
                                                       gboolean           autoconnect,
                                                       GError           **error);

G_END_DECLS
