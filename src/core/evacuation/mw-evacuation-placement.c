/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-placement.c: order and placement; see mw-evacuation-placement.h. */

#include "config.h"

#include "mw-core-enums.h"
#include "mw-evacuation-placement.h"

static int
compare_memory (MwEvacuationItem *a,
                MwEvacuationItem *b)
{
  guint64 ma = mw_evacuation_item_get_memory_kib (a);
  guint64 mb = mw_evacuation_item_get_memory_kib (b);

  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

static int
compare_priority (MwEvacuationItem *a,
                  MwEvacuationItem *b)
{
  int pa = mw_evacuation_item_get_priority (a);
  int pb = mw_evacuation_item_get_priority (b);

  /* Higher first. */
  return pa > pb ? -1 : pa < pb ? 1 : 0;
}

int
mw_evacuation_compare_items (gconstpointer a,
                             gconstpointer b,
                             gpointer      user_data)
{
  MwEvacuationItem *ia = MW_EVACUATION_ITEM ((gpointer) a);
  MwEvacuationItem *ib = MW_EVACUATION_ITEM ((gpointer) b);
  MwEvacuationOrder order = GPOINTER_TO_INT (user_data);
  int result = 0;

  if (order == MW_EVACUATION_ORDER_SMALL_FIRST)
    result = compare_memory (ia, ib);
  else if (order == MW_EVACUATION_ORDER_LARGE_FIRST)
    result = -compare_memory (ia, ib);
  if (result == 0)
    result = compare_priority (ia, ib);
  if (result == 0)
    result = g_strcmp0 (mw_evacuation_item_get_name (ia), mw_evacuation_item_get_name (ib));
  return result;
}

static int
compare_for_spread (gconstpointer a,
                    gconstpointer b)
{
  MwEvacuationItem *ia = *(MwEvacuationItem **) a;
  MwEvacuationItem *ib = *(MwEvacuationItem **) b;
  gboolean ra = mw_evacuation_item_get_was_running (ia);
  gboolean rb = mw_evacuation_item_get_was_running (ib);

  /* Running ones first, largest first: greedy placement packs best that way. */
  if (ra != rb)
    return ra ? -1 : 1;
  return mw_evacuation_compare_items (ia, ib, GINT_TO_POINTER (MW_EVACUATION_ORDER_LARGE_FIRST));
}

void
mw_evacuation_spread (GPtrArray          *items,
                      const char * const *destinations,
                      const guint64      *free_kib)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autofree gint64 *left = NULL;
  guint n_dest;

  g_return_if_fail (items != NULL);
  g_return_if_fail (destinations != NULL && destinations[0] != NULL);

  n_dest = g_strv_length ((char **) destinations);
  left = g_new0 (gint64, n_dest);
  for (guint d = 0; d < n_dest; d++)
    left[d] = free_kib != NULL ? (gint64) free_kib[d] : 0;

  /* A shallow copy that owns nothing (g_ptr_array_copy would keep items' free function). */
  sorted = g_ptr_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (items, i));
  g_ptr_array_sort (sorted, compare_for_spread);
  for (guint i = 0; i < sorted->len; i++)
    {
      MwEvacuationItem *item = g_ptr_array_index (sorted, i);
      guint best = 0;

      /* Ties go to the destination named first. */
      for (guint d = 1; d < n_dest; d++)
        if (left[d] > left[best])
          best = d;
      mw_evacuation_item_set_destination (item, destinations[best]);
      if (mw_evacuation_item_get_was_running (item))
        left[best] -= (gint64) mw_evacuation_item_get_memory_kib (item);
    }
}

const char *
mw_evacuation_order_to_nick (MwEvacuationOrder order)
{
  GEnumClass *klass = g_type_class_ref (MW_TYPE_EVACUATION_ORDER);
  GEnumValue *value = g_enum_get_value (klass, order);

  /* A static type's class is never freed: the nick stays valid. */
  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "priority";
}

gboolean
mw_evacuation_order_from_nick (const char        *nick,
                               MwEvacuationOrder *order)
{
  GEnumClass *klass = g_type_class_ref (MW_TYPE_EVACUATION_ORDER);
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (value != NULL)
    *order = value->value;
  g_type_class_unref (klass);
  return value != NULL;
}
