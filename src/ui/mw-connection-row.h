/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mw-connection.h"

G_BEGIN_DECLS

#define MW_TYPE_CONNECTION_ROW (mw_connection_row_get_type ())

G_DECLARE_FINAL_TYPE (MwConnectionRow, mw_connection_row, MW, CONNECTION_ROW, GtkListBoxRow)

MwConnectionRow *mw_connection_row_new            (MwConnection    *connection);
MwConnection    *mw_connection_row_get_connection (MwConnectionRow *self);

G_END_DECLS
