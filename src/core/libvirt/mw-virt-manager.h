/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-virt-manager.h: the connections the user keeps in virt-manager.
 *
 * virt-manager saves them in GSettings, schema `org.virt-manager.virt-manager.connections`:
 * `uris` (as listed in its window) and `autoconnect` (those it opens at start). Read through the
 * default schema source and GSettings backend, so a test can point both elsewhere. Main thread.
 */
#pragma once

#include <gio/gio.h>

#include "mw-connection-list.h"

G_BEGIN_DECLS

#define MW_VIRT_MANAGER_SCHEMA "org.virt-manager.virt-manager.connections"

/* The URIs virt-manager has that list does not, in virt-manager's order, skipping those
 * mw_uri_parse refuses; NULL when virt-manager's schema is not installed. autoconnect (may be
 * NULL) gets the subset virt-manager opens at start. */
GStrv mw_virt_manager_new_uris (MwConnectionList   *list,
                                GStrv              *autoconnect);

G_END_DECLS
