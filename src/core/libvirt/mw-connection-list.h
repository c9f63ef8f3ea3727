/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection-list.h: the saved connections, a GListModel of MwConnection.
 *
 * Kept in GSettings the way virt-manager keeps them: `connections` (URIs, in order) and
 * `autoconnect` (the subset to open at start). With nothing saved yet (the key has no user
 * value), load (offer_defaults = TRUE) offers the shipped demo nodes and qemu:///system when its
 * socket exists, all set to autoconnect; with offer_defaults = FALSE (the user named connections
 * on the command line) the list stays empty and nothing is saved, so the next plain start still
 * offers them. Connections added with save = FALSE (from --connect) are listed but never
 * written back.
 */
#pragma once

#include <gio/gio.h>

#include "mw-connection.h"

G_BEGIN_DECLS

#define MW_CONNECTION_LIST_ERROR (mw_connection_list_error_quark ())

typedef enum
{
  MW_CONNECTION_LIST_ERROR_EXISTS,
} MwConnectionListError;

#define MW_TYPE_CONNECTION_LIST (mw_connection_list_get_type ())

G_DECLARE_FINAL_TYPE (MwConnectionList, mw_connection_list, MW, CONNECTION_LIST, GObject)

GQuark             mw_connection_list_error_quark (void);

/* settings: a GSettings for the com.example.MigWizard schema, or NULL to keep nothing. */
MwConnectionList  *mw_connection_list_new         (GSettings        *settings);
void               mw_connection_list_load        (MwConnectionList *self,
                                                   gboolean          offer_defaults);
/* Validates the URI (mw_uri_parse) and refuses a duplicate with a specific error. */
MwConnection      *mw_connection_list_add         (MwConnectionList *self,
                                                   const char       *uri,
                                                   gboolean          autoconnect,
                                                   gboolean          save,
                                                   GError          **error);
void               mw_connection_list_remove      (MwConnectionList *self,
                                                   MwConnection     *connection);
MwConnection      *mw_connection_list_find        (MwConnectionList *self,
                                                   const char       *uri);
/* Starts connecting every connection marked autoconnect that is not connected yet. */
void               mw_connection_list_autoconnect (MwConnectionList *self);

G_END_DECLS
