/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evacuation-fixture.c: see evacuation-fixture.h. */

#include "config.h"

#include "evacuation-fixture.h"

MwEvacuationItem *
item_new (const char *name,
          guint64     memory_gib,
          int         priority,
          gboolean    running)
{
  MwEvacuationItem *item = mw_evacuation_item_new (name, SRC, memory_gib * GIB_KIB, running);

  mw_evacuation_item_set_priority (item, priority);
  mw_evacuation_item_set_destination (item, DST);
  return item;
}

MwEvacuationItem *
find_item (MwEvacuationPlan *plan,
           const char       *name)
{
  GListModel *items = mw_evacuation_plan_get_items (plan);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      if (g_str_equal (mw_evacuation_item_get_name (item), name))
        return item;   /* the plan keeps it alive */
    }
  g_error ("no item %s", name);
}

void
on_count_cb (GObject    *object,
             GParamSpec *pspec,
             guint      *count)
{
  (*count)++;
}
