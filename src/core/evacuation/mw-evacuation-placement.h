/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-placement.h: the order guests go in and the host each one goes to.
 *
 * Pure functions over MwEvacuationItems, no I/O: the plan calls them on the main thread and the
 * unit tests check them with made-up figures.
 */
#pragma once

#include <glib.h>

#include "mw-evacuation-item.h"

G_BEGIN_DECLS

typedef enum
{
  MW_EVACUATION_ORDER_PRIORITY,    /* higher priority first; then by name */
  MW_EVACUATION_ORDER_SMALL_FIRST, /* least memory first; then priority, name */
  MW_EVACUATION_ORDER_LARGE_FIRST, /* most memory first; then priority, name */
} MwEvacuationOrder;

/* GCompareDataFunc for two MwEvacuationItems; user_data is GINT_TO_POINTER (order). */
int         mw_evacuation_compare_items  (gconstpointer a,
                                          gconstpointer b,
                                          gpointer      user_data);

/* Sets each item's destination: with one destination, that one; with several, the largest
 * running guests first, each to the destination with the most free memory left after the ones
 * placed before it (shut-off guests take no memory there and go to the one with the most left).
 * free_kib[i] is destinations[i]'s free memory; items is a GPtrArray of MwEvacuationItem. */
void        mw_evacuation_spread         (GPtrArray          *items,
                                          const char * const *destinations,
                                          const guint64      *free_kib);

const char *mw_evacuation_order_to_nick  (MwEvacuationOrder   order);
gboolean    mw_evacuation_order_from_nick (const char        *nick,
                                           MwEvacuationOrder *order);

G_END_DECLS
