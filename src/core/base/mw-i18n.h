/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-i18n.h: where the app and the command line find their translations. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $MW_LOCALEDIR when set and not empty (catalogues compiled in a build tree: the uninstalled
 * app, the tests), else the installed LOCALEDIR. */
const char *mw_localedir (void);

G_END_DECLS
