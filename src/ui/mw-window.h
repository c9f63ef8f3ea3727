/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-application.h"

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

G_END_DECLS
