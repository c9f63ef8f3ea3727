/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-summary: the result's paragraph says where the guest was found and nothing
 * else: running on the destination, kept on the source, on both, on neither, a host that could
 * not be asked, an unfinished copy left behind; the figures as measured. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "mw-migration-summary.h"

static const MwSummaryContext live = { "web1", "hosta", "hostb", FALSE, TRUE };

static void
assert_has (const char *text,
            const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” not in “%s”", part, text);
}

static void
assert_lacks (const char *text,
              const char *part)
{
  if (strstr (text, part) != NULL)
    g_error ("“%s” unexpectedly in “%s”", part, text);
}

static void
test_succeeded (void)
{
  MwMigrationJobResult r = { 0 };
  g_autofree char *text = NULL;

  r.state = MW_MIGRATION_JOB_STATE_SUCCEEDED;
  r.on_destination = TRUE;
  r.persistent_on_destination = TRUE;
  r.total_ms = 2700;
  r.downtime_ms = 148;
  r.passes = 3;
  r.pings_sent = 63;
  r.pings_lost = 1;
  r.longest_ping_gap_us = 217000;
  text = mw_migration_summary (&r, &live);
  assert_has (text, "after 3 passes");
  assert_has (text, "“web1” runs on hostb.");
  assert_has (text, "paused for 148 ms");
  assert_has (text, "1 ping of 63 was lost");
  assert_lacks (text, "hosta");
}

/* The three downtimes side by side: each figure as libvirt and the pinger gave it, and an
 * unknown one said to be unknown, never shown as 0 ms. */
static void
test_downtimes (void)
{
  MwMigrationJobResult r = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *net = NULL;

  r.state = MW_MIGRATION_JOB_STATE_SUCCEEDED;
  r.on_destination = TRUE;
  r.downtime_ms = 148;
  r.downtime_net_ms = 131;
  r.longest_ping_gap_us = 217400;
  for (guint kind = 0; kind < MW_N_DOWNTIMES; kind++)
    {
      g_autofree char *value = mw_downtime_format (&r, kind);
      const char *expected[] = { "148 ms", "131 ms", "217 ms" };

      g_assert_cmpstr (value, ==, expected[kind]);
      g_assert_nonnull (strchr (mw_downtime_explanation (kind), '.'));
      g_assert_cmpuint (strlen (mw_downtime_caption (kind)), >, 0);
    }
  text = mw_migration_summary (&r, &live);
  assert_has (text, "paused for 148 ms (131 ms without the network)");

  /* libvirt gave a downtime but no downtime_net; no pinger. */
  r.downtime_net_ms = -1;
  r.longest_ping_gap_us = -1;
  g_assert_cmpint (mw_downtime_ms (&r, MW_DOWNTIME_LIBVIRT_NET), ==, -1);
  net = mw_downtime_format (&r, MW_DOWNTIME_LIBVIRT_NET);
  g_assert_cmpstr (net, ==, "unknown: libvirt could not time the network");
  g_clear_pointer (&net, g_free);
  net = mw_downtime_format (&r, MW_DOWNTIME_PING_GAP);
  g_assert_cmpstr (net, ==, "unknown: the guest was not pinged");
  g_clear_pointer (&text, g_free);
  text = mw_migration_summary (&r, &live);
  assert_has (text, "paused for 148 ms.");
  assert_lacks (text, "without the network");

  /* No downtime at all (a failed job): its network part is unknown too, whatever it held. */
  r.state = MW_MIGRATION_JOB_STATE_FAILED;
  r.downtime_ms = -1;
  r.downtime_net_ms = 0;
  g_assert_cmpint (mw_downtime_ms (&r, MW_DOWNTIME_LIBVIRT_NET), ==, -1);
  g_clear_pointer (&net, g_free);
  net = mw_downtime_format (&r, MW_DOWNTIME_LIBVIRT);
  g_assert_cmpstr (net, ==, "unknown: the migration did not complete");
}

/* Moved, but the guest has not answered since: said, not a plain success. */
static void
test_succeeded_silent (void)
{
  MwMigrationJobResult r = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *answered = NULL;
  g_autofree char *stopped = NULL;

  r.state = MW_MIGRATION_JOB_STATE_SUCCEEDED;
  r.on_destination = TRUE;
  r.total_ms = 6000;
  r.downtime_ms = 80;
  r.passes = 4;
  r.pings_sent = 154;
  r.pings_lost = 28;
  r.longest_ping_gap_us = 2900000;
  r.guest_silent = TRUE;
  text = mw_migration_summary (&r, &live);
  assert_has (text, "“web1” runs on hostb.");
  assert_has (text, "has not answered a ping since the migration ended");
  assert_has (text, "check its network on hostb");

  r.guest_silent = FALSE;
  r.pings_answered_after = 20;
  answered = mw_migration_summary (&r, &live);
  assert_lacks (answered, "has not answered");
  assert_lacks (answered, "stopped answering");

  /* One reply right after the switch-over, then silence (seen in the lab's GUI test). */
  r.guest_silent = TRUE;
  r.pings_answered_after = 1;
  r.pings_lost_at_end = 12;
  stopped = mw_migration_summary (&r, &live);
  assert_has (stopped, "stopped answering pings soon after the migration ended");
  assert_lacks (stopped, "has not answered");
}

static void
test_no_downtime_no_pinger (void)
{
  MwMigrationJobResult r = { 0 };
  g_autofree char *text = NULL;

  /* libvirt kept no completed statistics (post-copy): no pause figure is invented. */
  r.state = MW_MIGRATION_JOB_STATE_SUCCEEDED;
  r.on_destination = TRUE;
  r.total_ms = 5100;
  r.downtime_ms = -1;
  r.passes = 1;
  r.longest_ping_gap_us = -1;
  text = mw_migration_summary (&r, &live);
  assert_has (text, "after 1 pass.");
  assert_lacks (text, "paused for");
  assert_lacks (text, "ping");
}

static void
test_cancelled_destination_unreachable (void)
{
  MwMigrationJobResult r = { 0 };
  g_autofree char *text = NULL;

  r.state = MW_MIGRATION_JOB_STATE_CANCELLED;
  r.on_source = TRUE;
  r.defined_on_source = TRUE;
  r.destination_unreachable = TRUE;
  r.total_ms = 4600;
  r.longest_ping_gap_us = 102000;
  r.pings_sent = 66;
  text = mw_migration_summary (&r, &live);
  assert_has (text, "The migration was stopped after");
  assert_has (text, "“web1” keeps running on hosta.");
  assert_has (text, "hostb could not be asked");
  assert_has (text, "No ping of 66 was lost");
}

static void
test_leftover (void)
{
  MwMigrationJobResult r = { 0 };
  g_autofree char *text = NULL;

  r.state = MW_MIGRATION_JOB_STATE_FAILED;
  r.on_source = TRUE;
  r.leftover_on_destination = TRUE;
  r.error_message = (char *) "The migration failed: Lost connection to destination host";
  r.longest_ping_gap_us = -1;
  text = mw_migration_summary (&r, &live);
  assert_has (text, "Lost connection to destination host");
  assert_has (text, "keeps running on hosta");
  assert_has (text, "hostb still holds an unfinished incoming copy");
  assert_lacks (text, "runs on both");
}

static void
test_both_and_neither (void)
{
  MwMigrationJobResult r = { 0 };
  g_autofree char *both = NULL;
  g_autofree char *neither = NULL;

  r.state = MW_MIGRATION_JOB_STATE_FAILED;
  r.on_source = TRUE;
  r.on_destination = TRUE;
  r.longest_ping_gap_us = -1;
  both = mw_migration_summary (&r, &live);
  assert_has (both, "runs on both hosts");

  r.on_source = r.on_destination = FALSE;
  neither = mw_migration_summary (&r, &live);
  assert_has (neither, "running on neither host");
}

static void
test_not_started_and_offline (void)
{
  MwSummaryContext not_started = live;
  MwSummaryContext offline = live;
  MwMigrationJobResult r = { 0 };
  g_autofree char *failed = NULL;
  g_autofree char *moved = NULL;

  not_started.migration_started = FALSE;
  r.state = MW_MIGRATION_JOB_STATE_FAILED;
  r.on_source = TRUE;
  r.error_message = (char *) "Could not connect to the destination host";
  r.longest_ping_gap_us = -1;
  failed = mw_migration_summary (&r, &not_started);
  assert_has (failed, "The migration did not start: Could not connect");

  offline.offline = TRUE;
  r.state = MW_MIGRATION_JOB_STATE_SUCCEEDED;
  r.on_source = FALSE;
  r.persistent_on_destination = TRUE;
  r.error_message = NULL;
  moved = mw_migration_summary (&r, &offline);
  assert_has (moved, "The definition moved");
  assert_has (moved, "is defined on hostb and not running");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mw/migration-summary/downtimes", test_downtimes);
  g_test_add_func ("/mw/migration-summary/succeeded", test_succeeded);
  g_test_add_func ("/mw/migration-summary/succeeded-silent", test_succeeded_silent);
  g_test_add_func ("/mw/migration-summary/no-downtime-no-pinger", test_no_downtime_no_pinger);
  g_test_add_func ("/mw/migration-summary/cancelled-destination-unreachable",
                   test_cancelled_destination_unreachable);
  g_test_add_func ("/mw/migration-summary/leftover", test_leftover);
  g_test_add_func ("/mw/migration-summary/both-and-neither", test_both_and_neither);
  g_test_add_func ("/mw/migration-summary/not-started-and-offline", test_not_started_and_offline);
  return g_test_run ();
}
