/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pinger.c: the ICMP pinger against the loopback addresses only (127.0.0.1 and ::1). */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "mw-pinger.h"
#include "mw-pinger-private.h"

#define TIMEOUT_S 10

static gboolean
on_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context for milliseconds. */
static void
iterate_for (guint milliseconds)
{
  gint64 deadline = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (10, on_wake_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
}

static void
on_changed_cb (MwPinger *pinger,
               guint    *count)
{
  (*count)++;
}

static void
on_notify_running_cb (MwPinger   *pinger,
                      GParamSpec *pspec,
                      guint      *count)
{
  (*count)++;
}

/* Whether this process may open an ICMP socket for family at all (datagram, or raw as root). */
static gboolean
can_ping (int family)
{
  int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
  int fd = socket (family, SOCK_DGRAM, proto);

  if (fd < 0)
    fd = socket (family, SOCK_RAW, proto);
  if (fd < 0)
    return FALSE;
  close (fd);

  return TRUE;
}

static void
assert_stats_add_up (MwPinger *pinger)
{
  guint sent = mw_pinger_get_n_records (pinger);
  guint received = mw_pinger_get_received (pinger);
  guint lost = mw_pinger_get_lost (pinger);
  guint answered = 0;
  guint marked_lost = 0;
  guint pending = 0;
  guint i;

  g_assert_cmpuint (mw_pinger_get_n_records (pinger), ==, sent);
  for (i = 0; i < sent; i++)
    {
      const MwPingRecord *record = mw_pinger_get_record (pinger, i);

      g_assert_cmpuint (record->sequence, ==, i & 0xffff);
      if (i > 0)
        g_assert_cmpint (record->sent_us, >, mw_pinger_get_record (pinger, i - 1)->sent_us);
      if (record->rtt_us >= 0)
        {
          g_assert_false (record->lost);
          answered++;
        }
      else if (record->lost)
        marked_lost++;
      else
        pending++;
    }

  g_assert_cmpuint (answered, ==, received);
  g_assert_cmpuint (marked_lost, ==, lost);
  g_assert_cmpuint (received + lost + pending, ==, sent);
}

static void
ping_loopback (const char *address,
               int         family)
{
  g_autoptr(MwPinger) pinger = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start_us;
  guint changed = 0;
  guint notified = 0;
  guint sent;
  guint i;

  if (!can_ping (family))
    {
      g_test_skip ("No ICMP socket for this address family here");
      return;
    }

  pinger = mw_pinger_new (address, 100, 1000);
  g_assert_cmpstr (mw_pinger_get_address (pinger), ==, address);
  g_assert_cmpuint (mw_pinger_get_interval_ms (pinger), ==, 100);
  g_assert_cmpuint (mw_pinger_get_timeout_ms (pinger), ==, 1000);
  g_assert_false (mw_pinger_is_running (pinger));
  g_signal_connect (pinger, "changed", G_CALLBACK (on_changed_cb), &changed);
  g_signal_connect (pinger, "notify::running", G_CALLBACK (on_notify_running_cb), &notified);

  start_us = g_get_monotonic_time ();
  if (!mw_pinger_start (pinger, start_us, &error))
    {
      g_assert_error (error, MW_PINGER_ERROR, MW_PINGER_ERROR_FORBIDDEN);
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (mw_pinger_is_running (pinger));
  g_assert_cmpuint (notified, ==, 1);

  iterate_for (1050);

  /* One probe at once, then one every 100 ms: 11 in 1.05 s, give or take a late wake-up. */
  sent = mw_pinger_get_n_records (pinger);
  g_test_message ("%s: sent %u, received %u, lost %u, longest gap %" G_GINT64_FORMAT " µs",
                  address, sent, mw_pinger_get_received (pinger), mw_pinger_get_lost (pinger),
                  mw_pinger_get_longest_gap_us (pinger));
  g_assert_cmpuint (sent, >=, 9);
  g_assert_cmpuint (sent, <=, 12);
  g_assert_cmpuint (mw_pinger_get_received (pinger), >=, sent - 2);
  g_assert_cmpuint (mw_pinger_get_lost (pinger), ==, 0);
  g_assert_cmpuint (changed, >, 0);
  assert_stats_add_up (pinger);

  /* Loopback answers within a millisecond or so; consecutive replies are ~100 ms apart. */
  for (i = 0; i < sent; i++)
    {
      const MwPingRecord *record = mw_pinger_get_record (pinger, i);

      g_assert_cmpint (record->sent_us, >=, 0);
      g_assert_cmpint (record->sent_us, <, 1200 * 1000);
      if (record->rtt_us >= 0)
        g_assert_cmpint (record->rtt_us, <, 100 * 1000);
    }
  g_assert_cmpint (mw_pinger_get_longest_gap_us (pinger), >=, 50 * 1000);
  g_assert_cmpint (mw_pinger_get_longest_gap_us (pinger), <, 400 * 1000);

  /* Stop: nothing more happens afterwards. */
  mw_pinger_stop (pinger);
  g_assert_false (mw_pinger_is_running (pinger));
  g_assert_cmpuint (notified, ==, 2);
  sent = mw_pinger_get_n_records (pinger);
  changed = 0;
  iterate_for (300);
  g_assert_cmpuint (mw_pinger_get_n_records (pinger), ==, sent);
  g_assert_cmpuint (changed, ==, 0);
  assert_stats_add_up (pinger);

  /* Stopping twice is harmless; a new start begins new records. */
  mw_pinger_stop (pinger);
  g_assert_true (mw_pinger_start (pinger, g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mw_pinger_get_n_records (pinger), ==, 0);
  iterate_for (250);
  g_assert_cmpuint (mw_pinger_get_n_records (pinger), >=, 2);
  assert_stats_add_up (pinger);

  /* Disposing a running pinger stops its thread. */
  g_signal_handlers_disconnect_by_data (pinger, &changed);
  g_signal_handlers_disconnect_by_data (pinger, &notified);
  g_assert_finalize_object (g_steal_pointer (&pinger));
  /* An idle queued by the finished run must find nobody. */
  iterate_for (50);
}

static void
test_ipv4 (void)
{
  ping_loopback ("127.0.0.1", AF_INET);
}

static void
test_ipv6 (void)
{
  if (!g_file_test ("/proc/net/if_inet6", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No IPv6 on this machine");
      return;
    }

  ping_loopback ("::1", AF_INET6);
}

static void
test_bad_address (void)
{
  const char *addresses[] = { "", "localhost", "example.com", "127.0.0.256", "::1::2",
                              "10.0.0.1/24", "fe80::1%lo0x" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(MwPinger) pinger = mw_pinger_new (addresses[i], 100, 1000);
      g_autoptr(GError) error = NULL;

      g_assert_false (mw_pinger_start (pinger, g_get_monotonic_time (), &error));
      g_assert_error (error, MW_PINGER_ERROR, MW_PINGER_ERROR_ADDRESS);
      g_assert_nonnull (strstr (error->message, addresses[i]));
      g_assert_false (mw_pinger_is_running (pinger));
    }
}

/* Whether a datagram ping socket is refused for this process's groups. */
static gboolean
datagram_forbidden (void)
{
  int fd = socket (AF_INET, SOCK_DGRAM, IPPROTO_ICMP);

  if (fd >= 0)
    {
      close (fd);
      return FALSE;
    }

  return errno == EACCES || errno == EPERM;
}

static void
test_forbidden (void)
{
  g_autoptr(MwPinger) pinger = NULL;
  g_autoptr(GError) error = NULL;

  if (!datagram_forbidden ())
    {
      g_test_skip ("net.ipv4.ping_group_range allows this process: nothing to refuse");
      return;
    }

  /* Without the raw fallback, the sysctl is the only way: the message says how. */
  pinger = g_object_new (MW_TYPE_PINGER, "address", "127.0.0.1", "allow-raw", FALSE, NULL);
  g_assert_false (mw_pinger_start (pinger, g_get_monotonic_time (), &error));
  g_assert_error (error, MW_PINGER_ERROR, MW_PINGER_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "net.ipv4.ping_group_range"));
  g_assert_nonnull (strstr (error->message,
                            "sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""));
  g_assert_false (mw_pinger_is_running (pinger));
}

/* Replies every 100 ms, then none: the gap grows with every probe lost, so an outage that
 * lasts to the end is the longest gap, not the 100 ms before it. */
static void
test_outage_to_the_end (void)
{
  g_autoptr(MwPinger) pinger = mw_pinger_new ("127.0.0.1", 100, 1000);
  guint i;

  for (i = 0; i < 10; i++)
    {
      mw_pinger_feed_for_test (pinger, FALSE, FALSE, i, i * 100000, -1);
      mw_pinger_feed_for_test (pinger, TRUE, FALSE, i, i * 100000 + 300, 300);
    }
  g_assert_cmpint (mw_pinger_get_longest_gap_us (pinger), ==, 100000);
  for (; i < 40; i++)
    mw_pinger_feed_for_test (pinger, FALSE, FALSE, i, i * 100000, -1);
  /* The timeout passes for those sent up to 2.9 s. */
  for (i = 10; i < 30; i++)
    mw_pinger_feed_for_test (pinger, FALSE, TRUE, i, 0, -1);
  g_assert_cmpuint (mw_pinger_get_lost (pinger), ==, 20);
  /* Last reply at 0.9003 s; the last probe lost was sent at 2.9 s. */
  g_assert_cmpint (mw_pinger_get_longest_gap_us (pinger), ==, 2900000 - 900300);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/pinger/outage-to-the-end", test_outage_to_the_end);
  g_test_add_func ("/mw/pinger/ipv4", test_ipv4);
  g_test_add_func ("/mw/pinger/ipv6", test_ipv6);
  g_test_add_func ("/mw/pinger/bad-address", test_bad_address);
  g_test_add_func ("/mw/pinger/forbidden", test_forbidden);

  return g_test_run ();
}
