/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-bridge-netns.c: the confirm-or-revert bridge made for real in a throwaway network
 * namespace (root only; skipped otherwise), through an "ssh" that runs the remote command in the
 * namespace: kept, rolled back, refused for a NIC that already has a master, IPv4 and IPv6
 * addresses and routes restored exactly, and a failing apply rolled back by the watcher that was
 * armed before it. "Exactly" compares `ip -d -j` of addresses, routes (both families) and links,
 * minus the bridge timers, which count down. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mw-bridge-setup.h"
#include "mw-migration-options.h"
#include "mw-test-core.h"
#include "mw-shell.h"

typedef struct
{
  char *netns;
  char *dir;
  char *fake_ssh;
} Netns;

static gboolean
run_argv (const char * const *argv,
          char              **out,
          GError            **error)
{
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                             | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                                      error);
  g_autofree char *text = NULL;

  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &text, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", argv[0], text);
      return FALSE;
    }
  if (out != NULL)
    *out = g_steal_pointer (&text);
  return TRUE;
}

static char *
in_netns (Netns      *ns,
          const char *command)
{
  const char *argv[] = { "ip", "netns", "exec", ns->netns, "sh", "-c", command, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  if (!run_argv (argv, &out, &error))
    g_error ("%s: %s", command, error->message);
  return out;
}

static gboolean
netns_setup (Netns *ns)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  const char *add[] = { "ip", "netns", "add", NULL, NULL };

  ns->netns = g_strdup_printf ("mwtest-setup-%d", (int) getpid ());
  add[3] = ns->netns;
  if (!run_argv (add, NULL, &error))
    {
      g_test_skip_printf ("cannot create a network namespace: %s", error->message);
      return FALSE;
    }
  /* no duplicate address detection: no address is "tentative" for a while after it is added,
   * so snapshots taken seconds apart compare */
  g_free (in_netns (ns, "sysctl -qw net.ipv6.conf.all.accept_dad=0 "
                        "net.ipv6.conf.default.accept_dad=0 "
                        "&& ip link set lo up "
                        "&& ip link add mwnic0 type veth peer name mwpeer0 "
                        "&& ip link set mwpeer0 up && ip link set mwnic0 up "
                        "&& ip addr add 192.0.2.10/24 dev mwnic0 "
                        "&& ip route add default via 192.0.2.1 dev mwnic0"));
  ns->dir = g_dir_make_tmp ("mwtest-bridge-XXXXXX", &error);
  g_assert_no_error (error);
  /* "ssh": runs the remote command in the namespace, like ssh runs it on the host */
  ns->fake_ssh = g_strdup (g_getenv ("MW_SSH"));
  script = g_strdup_printf ("#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done\nshift 2\n"
                            "exec ip netns exec %s sh -c \"$1\"\n", ns->netns);
  g_assert_true (g_file_set_contents (ns->fake_ssh, script, -1, NULL));
  g_assert_cmpint (g_chmod (ns->fake_ssh, 0755), ==, 0);
  return TRUE;
}

static void
netns_teardown (Netns *ns)
{
  const char *del[] = { "ip", "netns", "del", ns->netns, NULL };
  const char *rm[] = { "rm", "-rf", ns->dir, NULL };

  g_unlink (ns->fake_ssh);
  if (ns->dir != NULL)
    g_assert_true (run_argv (rm, NULL, NULL));
  g_assert_true (run_argv (del, NULL, NULL));
  g_free (ns->netns);
  g_free (ns->dir);
  g_free (ns->fake_ssh);
}

static void
assert_original (Netns *ns)
{
  g_autofree char *links = in_netns (ns, "ip -br link show type bridge");
  g_autofree char *addr = in_netns (ns, "ip -br addr show dev mwnic0");
  g_autofree char *route = in_netns (ns, "ip route show default");
  g_autofree char *master = in_netns (ns, "ip -d link show dev mwnic0");

  g_assert_null (strstr (links, "mwbr0"));
  g_assert_nonnull (strstr (addr, "192.0.2.10/24"));
  g_assert_nonnull (strstr (route, "default via 192.0.2.1 dev mwnic0"));
  g_assert_null (strstr (master, "master mwbr0"));
}

static void
assert_bridged (Netns *ns)
{
  g_autofree char *addr = in_netns (ns, "ip -br addr show dev mwbr0");
  g_autofree char *nic = in_netns (ns, "ip -br addr show dev mwnic0");
  g_autofree char *route = in_netns (ns, "ip route show default");
  g_autofree char *master = in_netns (ns, "ip link show dev mwnic0");

  g_assert_nonnull (strstr (addr, "192.0.2.10/24"));
  g_assert_null (strstr (nic, "192.0.2.10"));
  g_assert_nonnull (strstr (route, "default via 192.0.2.1 dev mwbr0"));
  g_assert_nonnull (strstr (master, "master mwbr0"));
}

static char *
status_of (Netns      *ns,
           const char *token)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.status", ns->dir, token);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return g_strstrip (text);
}

static void
test_script_netns (void)
{
  Netns ns = { 0 };
  g_autoptr(MwBridgePlan) plan = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;
  g_autofree char *status = NULL;
  g_autofree char *confirm = NULL;

  if (getuid () != 0)
    {
      g_test_skip ("needs root for a network namespace");
      return;
    }
  if (!netns_setup (&ns))
    return;

  plan = mw_bridge_plan_new ("root@ns", "mwbr0", "mwnic0", 2);
  plan->state_dir = g_strdup (ns.dir);

  /* not confirmed: rolled back by the host itself */
  argv = mw_bridge_script_argv (plan, "t1");
  command = mw_shell_join ((const char * const *) argv);
  out = in_netns (&ns, command);
  g_assert_cmpstr (g_strstrip (out), ==, "applied");
  assert_bridged (&ns);
  g_usleep (3500 * 1000);
  status = status_of (&ns, "t1");
  g_assert_cmpstr (status, ==, "reverted");
  assert_original (&ns);

  /* confirmed: kept */
  g_strfreev (argv);
  g_free (command);
  g_free (out);
  argv = mw_bridge_script_argv (plan, "t2");
  command = mw_shell_join ((const char * const *) argv);
  out = in_netns (&ns, command);
  g_assert_cmpstr (g_strstrip (out), ==, "applied");
  confirm = g_strdup_printf ("%s/t2.confirm", ns.dir);
  g_assert_true (g_file_set_contents (confirm, "", 0, NULL));
  g_usleep (3500 * 1000);
  g_free (status);
  status = status_of (&ns, "t2");
  g_assert_cmpstr (status, ==, "kept");
  assert_bridged (&ns);

  netns_teardown (&ns);
}

/* mw_bridge_create / confirm / revert through a fake ssh into the namespace */
static void
test_create_netns (void)
{
  Netns ns = { 0 };
  g_autoptr(MwBridgePlan) plan = NULL;
  g_autoptr(MwBridgeChange) change = NULL;
  g_autoptr(MwBridgePlan) other = NULL;
  g_autoptr(MwBridgeChange) second = NULL;
  g_autoptr(GError) error = NULL;

  if (getuid () != 0)
    {
      g_test_skip ("needs root for a network namespace");
      return;
    }
  if (!netns_setup (&ns))
    return;
  plan = mw_bridge_plan_new ("root@ns", "mwbr0", "mwnic0", 5);
  plan->state_dir = g_strdup (ns.dir);
  plan->method = MW_BRIDGE_METHOD_IPROUTE2;
  other = mw_bridge_plan_copy (plan);

  change = mw_bridge_create (plan, NULL, &error);
  g_assert_no_error (error);
  assert_bridged (&ns);
  g_assert_cmpint (mw_bridge_change_query (change, NULL, NULL), ==, MW_BRIDGE_OUTCOME_PENDING);

  /* a second bridge of that name is refused and names the host and step */
  g_clear_pointer (&other->nic, g_free);
  second = mw_bridge_create (other, NULL, &error);
  g_assert_null (second);
  g_assert_nonnull (strstr (error->message, "root@ns: create the bridge with iproute2: a link "
                                            "named mwbr0 already exists"));
  g_clear_error (&error);

  g_assert_true (mw_bridge_change_revert (change, NULL, &error));
  g_assert_no_error (error);
  assert_original (&ns);

  g_clear_pointer (&change, mw_bridge_change_free);
  change = mw_bridge_create (plan, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_bridge_change_confirm (change, NULL, &error));
  g_assert_no_error (error);
  g_usleep (5500 * 1000);
  assert_bridged (&ns);
  g_assert_cmpint (mw_bridge_change_query (change, NULL, NULL), ==, MW_BRIDGE_OUTCOME_KEPT);

  netns_teardown (&ns);
}

/* Everything a bridge change may touch, as ip prints it, minus the counting-down timers. */
static char *
snapshot (Netns *ns)
{
  return in_netns (ns, "{ ip -d -j addr; ip -d -j -4 route; ip -d -j -6 route; ip -d -j link; } "
                       "| sed -E 's/\"[a-z_]+_timer\":[0-9.]+,?//g'");
}

static char *
log_of (Netns      *ns,
        const char *token)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.log", ns->dir, token);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* A new bridge's operational state settles from UNKNOWN to UP once its port forwards: waited
 * for, so that the snapshot before a change does not catch it half-way. */
static void
wait_until_up (Netns      *ns,
               const char *link)
{
  g_autofree char *command = g_strdup_printf ("ip -br link show dev %s", link);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *out = in_netns (ns, command);

      if (strstr (out, " UP ") != NULL)
        return;
      g_usleep (50 * 1000);
    }
  g_error ("%s did not come up", link);
}

static gboolean
skip_unless_root (void)
{
  if (getuid () == 0)
    return FALSE;
  g_test_skip ("needs root for a network namespace");
  return TRUE;
}

/* A NIC that is a port of bridge mwX: moving it would take mwX's uplink, and the revert could
 * not give it back. Refused with the master named, by mw_bridge_create before anything runs and
 * by the script itself; nothing changed. */
static void
test_refuse_enslaved_netns (void)
{
  Netns ns = { 0 };
  g_autoptr(MwBridgePlan) plan = NULL;
  g_autoptr(MwBridgeChange) change = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *command = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  const char *run[] = { "ip", "netns", "exec", NULL, "sh", "-c", NULL, NULL };

  if (skip_unless_root () || !netns_setup (&ns))
    return;
  g_free (in_netns (&ns, "ip link add mwX type bridge && ip link set mwX up "
                         "&& ip link set mwnic0 master mwX"));
  wait_until_up (&ns, "mwX");
  plan = mw_bridge_plan_new ("root@ns", "mwbr0", "mwnic0", 5);
  plan->state_dir = g_strdup (ns.dir);
  plan->method = MW_BRIDGE_METHOD_IPROUTE2;
  before = snapshot (&ns);

  change = mw_bridge_create (plan, NULL, &error);
  g_assert_null (change);
  g_assert_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "root@ns: look at the interface: mwnic0 is already a port of the bridge mwX, "
                   "so nothing was changed. Attach the guests to mwX itself, or take mwnic0 out "
                   "of it first (ip link set dev mwnic0 nomaster).");
  after = snapshot (&ns);
  g_assert_cmpstr (after, ==, before);

  /* the script refuses too (exit 3), should the NIC get a master after the check */
  argv = mw_bridge_script_argv (plan, "t1");
  command = mw_shell_join ((const char * const *) argv);
  run[3] = ns.netns;
  run[6] = command;
  g_clear_error (&error);
  g_assert_false (run_argv (run, NULL, &error));
  g_assert_nonnull (strstr (error->message, "mwnic0 is already a port of mwX; nothing was "
                                            "changed"));
  again = snapshot (&ns);
  g_assert_cmpstr (again, ==, before);

  netns_teardown (&ns);
}

/* Two IPv4 and two IPv6 addresses (one nodad, one noprefixroute), routes of both families via
 * gateways: all move onto the bridge, and a revert puts back exactly what was there. */
static void
test_ipv6_revert_netns (void)
{
  Netns ns = { 0 };
  g_autoptr(MwBridgePlan) plan = NULL;
  g_autoptr(MwBridgeChange) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *addr = NULL;
  g_autofree char *routes6 = NULL;

  if (skip_unless_root () || !netns_setup (&ns))
    return;
  g_free (in_netns (&ns, "ip addr add 192.0.2.11/24 dev mwnic0 "
                         "&& ip addr add 2001:db8::10/64 dev mwnic0 nodad "
                         "&& ip addr add 2001:db8::11/64 dev mwnic0 noprefixroute "
                         "&& ip route add 198.51.100.0/24 via 192.0.2.3 "
                         "&& ip -6 route add default via 2001:db8::1 dev mwnic0 "
                         "&& ip -6 route add 2001:db8:1::/64 via 2001:db8::2"));
  plan = mw_bridge_plan_new ("root@ns", "mwbr0", "mwnic0", 30);
  plan->state_dir = g_strdup (ns.dir);
  plan->method = MW_BRIDGE_METHOD_IPROUTE2;
  before = snapshot (&ns);

  change = mw_bridge_create (plan, NULL, &error);
  g_assert_no_error (error);
  assert_bridged (&ns);
  addr = in_netns (&ns, "ip -br addr show dev mwbr0");
  g_assert_nonnull (strstr (addr, "192.0.2.11/24"));
  g_assert_nonnull (strstr (addr, "2001:db8::10/64"));
  g_assert_nonnull (strstr (addr, "2001:db8::11/64"));
  routes6 = in_netns (&ns, "ip -6 route show");
  g_assert_nonnull (strstr (routes6, "default via 2001:db8::1 dev mwbr0"));
  g_assert_nonnull (strstr (routes6, "2001:db8:1::/64 via 2001:db8::2 dev mwbr0"));
  g_assert_null (strstr (routes6, "via 2001:db8::1 dev mwnic0"));

  g_assert_true (mw_bridge_change_revert (change, NULL, &error));
  g_assert_no_error (error);
  after = snapshot (&ns);
  g_assert_cmpstr (after, ==, before);

  netns_teardown (&ns);
}

/* The watcher is armed before anything changes, and it alone rolls back: an apply that fails
 * half-way (a bridge cannot be a port of a bridge: the new bridge exists by then) is rolled back
 * by it, and the script's log shows it armed before the apply began. */
static void
test_watcher_first_netns (void)
{
  Netns ns = { 0 };
  g_autoptr(MwBridgePlan) plan = NULL;
  g_autoptr(MwBridgeChange) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *log = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  g_autofree char *token = NULL;

  if (skip_unless_root () || !netns_setup (&ns))
    return;
  g_free (in_netns (&ns, "ip link add mwX type bridge && ip link set mwX up "
                         "&& ip addr add 203.0.113.5/24 dev mwX"));
  plan = mw_bridge_plan_new ("root@ns", "mwbr0", "mwX", 30);
  plan->state_dir = g_strdup (ns.dir);
  plan->method = MW_BRIDGE_METHOD_IPROUTE2;
  before = snapshot (&ns);

  change = mw_bridge_create (plan, NULL, &error);
  g_assert_null (change);
  g_assert_nonnull (strstr (error->message, "root@ns: create the bridge with iproute2: "));
  g_assert_nonnull (strstr (error->message, "could not set up mwbr0; restored what was there"));

  dir = g_dir_open (ns.dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".log"))
      token = g_strndup (name, strlen (name) - 4);
  g_assert_nonnull (token);
  log = log_of (&ns, token);
  g_assert_cmpstr (log, ==, "saved\narmed\napplying\nfailed\nreverted\n");
  status = status_of (&ns, token);
  g_assert_cmpstr (status, ==, "reverted");
  after = snapshot (&ns);
  g_assert_cmpstr (after, ==, before);

  netns_teardown (&ns);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fake_ssh = NULL;

  g_test_init (&argc, &argv, NULL);
  /* before any thread exists: each case writes this "ssh" into its namespace */
  fake_ssh = g_strdup_printf ("%s/mwtest-fake-ssh-%d", g_get_tmp_dir (), (int) getpid ());
  g_setenv ("MW_SSH", fake_ssh, TRUE);

  g_test_add_func ("/mw/bridge-netns/script", test_script_netns);
  g_test_add_func ("/mw/bridge-netns/create", test_create_netns);
  g_test_add_func ("/mw/bridge-netns/refuse-enslaved", test_refuse_enslaved_netns);
  g_test_add_func ("/mw/bridge-netns/ipv6-revert", test_ipv6_revert_netns);
  g_test_add_func ("/mw/bridge-netns/watcher-first", test_watcher_first_netns);

  return g_test_run ();
}
