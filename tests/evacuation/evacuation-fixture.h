/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evacuation-fixture.h: what the evacuation's tests share: the two hosts' URIs, an item made
 * without a host, finding an item of a plan by name, counting a signal. */
#pragma once

#include "mw-evacuation-private.h"

G_BEGIN_DECLS

#define SRC "qemu+ssh://root@hosta/system"
#define DST "qemu+ssh://root@hostb/system"
#define GIB_KIB (1024 * 1024)

/* A guest of memory_gib GiB on SRC, bound for DST. */
MwEvacuationItem *item_new    (const char       *name,
                               guint64           memory_gib,
                               int               priority,
                               gboolean          running);
/* The plan's item of that name (borrowed; the plan keeps it alive); fails the test if none. */
MwEvacuationItem *find_item   (MwEvacuationPlan *plan,
                               const char       *name);
/* A notify:: handler that counts into *count. */
void              on_count_cb (GObject          *object,
                               GParamSpec       *pspec,
                               guint            *count);

G_END_DECLS
