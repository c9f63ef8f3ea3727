/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-bridge-setup-private.h: what the pieces of the bridge set-up share (mw-bridge-setup.c,
 * mw-bridge-network.c). */
#pragma once

#include "mw-bridge-setup.h"

G_BEGIN_DECLS

/* A Linux interface name: 1–15 letters, digits, "_", ".", "-"; not "-…", "." or "..". */
gboolean mw_bridge_is_ifname (const char *name);

G_END_DECLS
