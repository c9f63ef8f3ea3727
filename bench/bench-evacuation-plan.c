/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-evacuation-plan.c: how long an evacuation plan takes for a host of N guests, on libvirt's
 * test driver, and how long the main loop was kept from running meanwhile.
 *
 *   bench-evacuation-plan GEN_NODE [N…]        (default N: 10 100 1000)
 *
 * For each N, GEN_NODE (bench/gen-node) writes a node of N guests (half running); the plan
 * evacuates it to an empty node with room for all, pre-flight for every guest included, four
 * checks at a time (the plan's default). Prints one line per N: the time to a listed plan
 * (survey), the time to a checked plan, and the longest main-loop stall seen by a 1 ms timer.
 * MW_BENCH_BUDGET_S (default 120) caps each plan's checking: past it the plan is cancelled and
 * the line says how many guests were checked by then ("checked" is then that time, marked *).
 */

#include "config.h"

#include <stdlib.h>

#include "mw-evacuation-plan.h"
#include "mw-libvirt.h"

typedef struct
{
  gint64 last_tick_us;
  gint64 longest_stall_us;
} Stall;

static gboolean
on_tick_cb (gpointer user_data)
{
  Stall *stall = user_data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last_tick_us != 0)
    stall->longest_stall_us = MAX (stall->longest_stall_us, now - stall->last_tick_us);
  stall->last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static char *
write_node (const char *gen_node,
            const char *dir,
            guint       n)
{
  g_autofree char *path = g_strdup_printf ("%s/node%u.xml", dir, n);
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { gen_node, count, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("gen-node: %s", error->message);
  return g_strdup_printf ("test://%s", path);
}

static char *
write_empty_node (const char *dir)
{
  g_autofree char *path = g_strdup_printf ("%s/empty.xml", dir);
  const char *xml = "<node><cpu><mhz>2000</mhz><model>x86_64</model><active>64</active>"
                    "<nodes>1</nodes><sockets>1</sockets><cores>64</cores><threads>1</threads>"
                    "</cpu><memory>4294967296</memory></node>";

  if (!g_file_set_contents (path, xml, -1, NULL))
    g_error ("cannot write %s", path);
  return g_strdup_printf ("test://%s", path);
}

int
main (int    argc,
      char **argv)
{
  guint sizes[16] = { 10, 100, 1000 };
  guint n_sizes = 3;
  g_autofree char *dir = g_dir_make_tmp ("mw-bench-evac-XXXXXX", NULL);
  g_autofree char *empty = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: bench-evacuation-plan GEN_NODE [N…]\n");
      return 2;
    }
  if (argc > 2)
    for (n_sizes = 0; n_sizes < G_N_ELEMENTS (sizes) && (int) n_sizes + 2 < argc; n_sizes++)
      sizes[n_sizes] = (guint) atoi (argv[n_sizes + 2]);

  mw_libvirt_init ();
  empty = write_empty_node (dir);
  g_print ("%6s %12s %12s %14s %8s\n", "guests", "listed (s)", "checked (s)", "longest stall",
           "groups");
  for (guint s = 0; s < n_sizes; s++)
    {
      g_autofree char *source = write_node (argv[1], dir, sizes[s]);
      const char *dests[] = { empty, NULL };
      g_autoptr(MwEvacuationPlan) plan = mw_evacuation_plan_new (source, dests);
      Stall stall = { 0 };
      gint64 t0, listed_us = 0, budget_us;
      gboolean cut = FALSE;
      guint tick_id;

      budget_us = (g_getenv ("MW_BENCH_BUDGET_S") != NULL
                     ? g_ascii_strtoll (g_getenv ("MW_BENCH_BUDGET_S"), NULL, 10) : 120)
                  * G_USEC_PER_SEC;
      tick_id = g_timeout_add (1, on_tick_cb, &stall);
      t0 = g_get_monotonic_time ();
      mw_evacuation_plan_run (plan);
      while (mw_evacuation_plan_get_state (plan) != MW_EVACUATION_PLAN_STATE_READY
             && mw_evacuation_plan_get_state (plan) != MW_EVACUATION_PLAN_STATE_FAILED)
        {
          g_main_context_iteration (NULL, TRUE);
          if (listed_us == 0
              && mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_CHECKING)
            listed_us = g_get_monotonic_time () - t0;
          if (!cut && g_get_monotonic_time () - t0 > budget_us)
            {
              cut = TRUE;
              mw_evacuation_plan_cancel (plan);
            }
        }
      g_source_remove (tick_id);
      if (mw_evacuation_plan_get_state (plan) == MW_EVACUATION_PLAN_STATE_FAILED)
        g_error ("plan failed: %s", mw_evacuation_plan_get_error (plan)->message);
      g_print ("%6u %12.3f %11.3f%s %11.1f ms %2u/%u/%u", sizes[s], listed_us / 1e6,
               (g_get_monotonic_time () - t0) / 1e6, cut ? "*" : " ",
               stall.longest_stall_us / 1000.0,
               mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_READY),
               mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_NEEDS_DECISION),
               mw_evacuation_plan_count_group (plan, MW_EVACUATION_GROUP_CANNOT_MOVE));
      if (cut)
        g_print ("  (* budget: %u of %u checked)", mw_evacuation_plan_get_n_checked (plan),
                 sizes[s]);
      g_print ("\n");
    }
  return 0;
}
