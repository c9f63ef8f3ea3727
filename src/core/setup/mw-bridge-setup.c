/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-bridge-setup.c: a bridge made over ssh that rolls back unless kept: the plan, the
 * NetworkManager and iproute2 ways to make it, confirming, reverting, asking what became of it.
 * Listing is in mw-bridge-survey.c, the libvirt bridge network in mw-bridge-network.c.
 *
 * Threads: everything that takes an MwBridgeChange or runs ssh blocks and runs in a worker. An
 * MwBridgeChange is used by one worker at a time (the UI waits for each call). */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-bridge-setup-private.h"
#include "mw-migration-options.h"
#include "mw-setup-host.h"
#include "mw-setup-task.h"
#include "mw-shell.h"

struct _MwBridgeChange
{
  MwBridgePlan *plan;
  MwBridgeMethod method;       /* what was used: never AUTO */
  char *token;
  char *checkpoint;            /* NetworkManager checkpoint object path */
  gint64 deadline;
};

/* The confirm-or-revert script (POSIX sh, run as root on the host). It refuses a NIC that is
 * already a port of a bridge or bond (moving it would take the other one's uplink, and a revert
 * could not give it back), records what the revert restores (IPv4 addresses and both families'
 * routes as iproute2's netlink dumps, restored exactly; IPv6 addresses as text, re-added newest
 * last so the kernel lists them as before; addresses the kernel made from router advertisements
 * are left to the next advertisement), then starts the watcher and applies only once the watcher
 * runs: whatever stops the apply half-way (an error, a killed ssh, a lost connection), the
 * watcher rolls back. $st.log lists the phases in order ("saved", "armed", "applying", …). */
static const char bridge_script[] =
  "set -u\n"
  "br=$1 nic=$2 timeout=$3 token=$4 dir=$5 watcher=$6\n"
  "st=\"$dir/$token\"\n"
  "mkdir -p \"$dir\" || exit 1\n"
  "if ip link show dev \"$br\" >/dev/null 2>&1; then\n"
  "  echo \"a link named $br already exists\" >&2; exit 3\n"
  "fi\n"
  "if [ -n \"$nic\" ]; then\n"
  "  if ! ip link show dev \"$nic\" >/dev/null 2>&1; then\n"
  "    echo \"there is no interface named $nic\" >&2; exit 3\n"
  "  fi\n"
  "  master=$(ip -o link show dev \"$nic\" | sed -n 's/.* master \\([^ ]*\\) .*/\\1/p')\n"
  "  if [ -n \"$master\" ]; then\n"
  "    echo \"$nic is already a port of $master; nothing was changed\" >&2; exit 3\n"
  "  fi\n"
  "fi\n"
  ": > \"$st.log\"; : > \"$st.addrs\"; : > \"$st.routes4\"; : > \"$st.routes6\"\n"
  ": > \"$st.addr4save\"; : > \"$st.route4save\"; : > \"$st.route6save\"\n"
  "if [ -n \"$nic\" ]; then\n"
  "  ip -4 addr save dev \"$nic\" > \"$st.addr4save\" || exit 1\n"
  "  ip -4 route save dev \"$nic\" > \"$st.route4save\" || exit 1\n"
  "  ip -6 route save dev \"$nic\" > \"$st.route6save\" || exit 1\n"
  "  ip -o addr show dev \"$nic\" scope global | awk '\n"
  "    $3 == \"inet6\" && / dynamic / { next }\n"
  "    { opts = \"\"\n"
  "      for (i = 5; i <= NF; i++) {\n"
  "        if ($i == \"peer\" || $i == \"scope\") { opts = opts \" \" $i \" \" $(i + 1); i++ }\n"
  "        else if ($i == \"brd\") { opts = opts \" broadcast \" $(i + 1); i++ }\n"
  "        else if ($i ~ /^(noprefixroute|nodad|home|mngtmpaddr|autojoin)$/) opts = opts \" "
  "\" $i\n"
  "        else if ($i == \"valid_lft\" || $i == \"preferred_lft\") {\n"
  "          v = $(i + 1); sub(/sec$/, \"\", v)\n"
  "          if (v != \"forever\") opts = opts \" \" $i \" \" v\n"
  "          i++\n"
  "        }\n"
  "      }\n"
  "      print $4 opts }' > \"$st.addrs\"\n"
  "  ip -4 route show dev \"$nic\" | grep -v -e 'proto kernel' -e 'proto ra' > \"$st.routes4\"\n"
  "  ip -6 route show dev \"$nic\" | grep -v -e 'proto kernel' -e 'proto ra' > \"$st.routes6\"\n"
  "fi\n"
  "echo saved >> \"$st.log\"\n"
  "echo applying > \"$st.status\"\n"
  "setsid sh -c \"$watcher\" mw-bridge-watch \"$br\" \"$nic\" \"$timeout\" \"$token\" "
  "\"$dir\" \\\n"
  "  < /dev/null > /dev/null 2>&1 &\n"
  "i=0\n"
  "while [ ! -e \"$st.armed\" ]; do\n"
  "  i=$((i + 1))\n"
  "  if [ \"$i\" -gt 100 ]; then echo \"the rollback watcher did not start\" >&2; exit 1; fi\n"
  "  sleep 0.1\n"
  "done\n"
  "apply () {\n"
  "  echo applying >> \"$st.log\"\n"
  "  ip link add name \"$br\" type bridge || return 1\n"
  "  ip link set dev \"$br\" up || return 1\n"
  "  [ -n \"$nic\" ] || return 0\n"
  "  ip link set dev \"$nic\" master \"$br\" || return 1\n"
  "  while read -r addr opts; do ip addr add \"$addr\" dev \"$br\" $opts || return 1; done < "
  "\"$st.addrs\"\n"
  "  ip addr flush dev \"$nic\" scope global || return 1\n"
  "  while read -r route; do ip -4 route replace $route dev \"$br\" || return 1; done < "
  "\"$st.routes4\"\n"
  "  while read -r route; do\n"
  "    ip -6 route del $route dev \"$nic\" 2>/dev/null\n"
  "    ip -6 route replace $route dev \"$br\" || return 1\n"
  "  done < \"$st.routes6\"\n"
  "}\n"
  "if ! apply; then\n"
  "  echo failed >> \"$st.log\"\n"
  "  touch \"$st.revert\"\n"
  "  i=0\n"
  "  while [ \"$(cat \"$st.status\")\" != reverted ] && [ \"$i\" -lt 100 ]; do\n"
  "    i=$((i + 1)); sleep 0.1\n"
  "  done\n"
  "  echo \"could not set up $br; restored what was there\" >&2; exit 1\n"
  "fi\n"
  "echo applied >> \"$st.log\"\n"
  "echo applied > \"$st.status\"\n"
  "echo applied\n";

/* The watcher: its own session (setsid), every descriptor redirected, so neither ssh returning
 * or dying nor a kill of the set-up step's process group stops it. It alone rolls back: at the
 * deadline, on a revert file, or when the apply failed. Arguments: BRIDGE NIC TIMEOUT TOKEN DIR. */
static const char watcher_script[] =
  "set -u\n"
  "br=$1 nic=$2 timeout=$3 token=$4 dir=$5\n"
  "st=\"$dir/$token\"\n"
  "saved=\"$st.addrs $st.routes4 $st.routes6 $st.addr4save $st.route4save $st.route6save "
  "$st.armed\"\n"
  "trap '' HUP\n"
  "end=$(( $(date +%s) + timeout ))\n"
  "echo armed >> \"$st.log\"; : > \"$st.armed\"\n"
  "while [ \"$(date +%s)\" -lt \"$end\" ]; do\n"
  "  if [ -e \"$st.confirm\" ] && [ \"$(cat \"$st.status\")\" = applied ]; then\n"
  "    rm -f $saved \"$st.confirm\"\n"
  "    echo kept > \"$st.status\"; echo kept >> \"$st.log\"; exit 0\n"
  "  fi\n"
  "  [ -e \"$st.revert\" ] && break\n"
  "  sleep 0.2\n"
  "done\n"
  "if [ -n \"$nic\" ]; then ip link set dev \"$nic\" nomaster 2>/dev/null; fi\n"
  "ip link del dev \"$br\" 2>/dev/null\n"
  "if [ -n \"$nic\" ]; then\n"
  "  ip addr flush dev \"$nic\" scope global 2>/dev/null\n"
  "  ip -4 addr restore < \"$st.addr4save\" 2>/dev/null\n"
  "  awk '$1 ~ /:/ { line[n++] = $0 } END { while (n > 0) print line[--n] }' \"$st.addrs\" |\n"
  "    while read -r addr opts; do\n"
  "      ip -6 addr add \"$addr\" dev \"$nic\" $opts 2>/dev/null\n"
  "    done\n"
  "  ip -4 route restore < \"$st.route4save\" 2>/dev/null\n"
  "  ip -6 route restore < \"$st.route6save\" 2>/dev/null\n"
  "fi\n"
  "rm -f $saved \"$st.confirm\" \"$st.revert\"\n"
  "echo reverted > \"$st.status\"; echo reverted >> \"$st.log\"\n";

const char *
mw_bridge_get_script (void)
{
  return bridge_script;
}

/* Plan */

MwBridgePlan *
mw_bridge_plan_new (const char *ssh_target,
                    const char *bridge,
                    const char *nic,
                    guint       timeout_s)
{
  MwBridgePlan *self = g_new0 (MwBridgePlan, 1);

  self->ssh_target = g_strdup (ssh_target);
  self->bridge = g_strdup (bridge);
  self->nic = nic != NULL && *nic != '\0' ? g_strdup (nic) : NULL;
  self->timeout_s = timeout_s > 0 ? timeout_s : MW_BRIDGE_DEFAULT_TIMEOUT_S;
  self->method = MW_BRIDGE_METHOD_AUTO;
  return self;
}

MwBridgePlan *
mw_bridge_plan_copy (const MwBridgePlan *self)
{
  MwBridgePlan *copy = mw_bridge_plan_new (self->ssh_target, self->bridge, self->nic,
                                           self->timeout_s);

  copy->method = self->method;
  copy->state_dir = g_strdup (self->state_dir);
  return copy;
}

void
mw_bridge_plan_free (MwBridgePlan *self)
{
  if (self == NULL)
    return;
  g_free (self->ssh_target);
  g_free (self->bridge);
  g_free (self->nic);
  g_free (self->state_dir);
  g_free (self);
}

gboolean
mw_bridge_is_ifname (const char *name)
{
  return mw_setup_is_plain_name (name) && strlen (name) <= 15 && !g_str_equal (name, ".")
         && !g_str_equal (name, "..");
}

gboolean
mw_bridge_plan_validate (const MwBridgePlan *self,
                         GError            **error)
{
  if (self->ssh_target == NULL || *self->ssh_target == '\0' || *self->ssh_target == '-'
      || strpbrk (self->ssh_target, " \t\n'\"\\;&|$`") != NULL)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("Give the host to reach over ssh as user@host."));
      return FALSE;
    }
  if (!mw_bridge_is_ifname (self->bridge))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a valid bridge name (1–15 letters, digits, “_”, “.”, “-”)."),
                   self->bridge != NULL ? self->bridge : "");
      return FALSE;
    }
  if (self->nic != NULL && !mw_bridge_is_ifname (self->nic))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a valid interface name."), self->nic);
      return FALSE;
    }
  if (self->nic != NULL && g_str_equal (self->nic, self->bridge))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The bridge needs another name than the interface it takes over."));
      return FALSE;
    }
  if (self->timeout_s < 5 || self->timeout_s > 600)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The confirmation time must be between 5 and 600 seconds."));
      return FALSE;
    }
  if (self->state_dir != NULL && (self->state_dir[0] != '/' || strchr (self->state_dir, ' ')))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The state directory must be an absolute path."));
      return FALSE;
    }
  return TRUE;
}

GStrv
mw_bridge_script_argv (const MwBridgePlan *plan,
                       const char         *token)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *timeout = g_strdup_printf ("%u", plan->timeout_s);

  g_strv_builder_add_many (builder, "sh", "-c", bridge_script, "mw-bridge", plan->bridge,
                           plan->nic != NULL ? plan->nic : "", timeout, token,
                           plan->state_dir != NULL ? plan->state_dir : MW_BRIDGE_STATE_DIR,
                           watcher_script, NULL);
  return g_strv_builder_end (builder);
}

/* NetworkManager: the bridge takes over the NIC's IPv4 set-up (DHCP stays DHCP, static
 * addresses, gateway and DNS move). Runs inside the checkpoint. */
static const char nm_script[] =
  "set -u\n"
  "br=$1 nic=$2\n"
  "nmcli -t -f DEVICE device | grep -qx \"$br\" && { echo \"$br already exists\" >&2; exit 3; }\n"
  "if [ -z \"$nic\" ]; then\n"
  "  nmcli con add type bridge ifname \"$br\" con-name \"$br\" ipv4.method disabled "
  "ipv6.method ignore >/dev/null && nmcli con up \"$br\" >/dev/null && exit 0\n"
  "  exit 1\n"
  "fi\n"
  "con=$(nmcli -g GENERAL.CONNECTION device show \"$nic\")\n"
  "method=auto\n"
  "[ -n \"$con\" ] && method=$(nmcli -g ipv4.method con show \"$con\")\n"
  "if [ \"$method\" = manual ]; then\n"
  "  addrs=$(nmcli -g ipv4.addresses con show \"$con\")\n"
  "  gw=$(nmcli -g ipv4.gateway con show \"$con\")\n"
  "  dns=$(nmcli -g ipv4.dns con show \"$con\")\n"
  "  nmcli con add type bridge ifname \"$br\" con-name \"$br\" ipv4.method manual "
  "ipv4.addresses \"$addrs\" ipv4.gateway \"$gw\" ipv4.dns \"$dns\" >/dev/null || exit 1\n"
  "else\n"
  "  nmcli con add type bridge ifname \"$br\" con-name \"$br\" ipv4.method auto >/dev/null "
  "|| exit 1\n"
  "fi\n"
  "nmcli con add type bridge-slave ifname \"$nic\" master \"$br\" con-name \"$br-port-$nic\" "
  ">/dev/null || exit 1\n"
  "nmcli con up \"$br-port-$nic\" >/dev/null && nmcli con up \"$br\" >/dev/null\n";

#define NM_DBUS "gdbus call --system --dest org.freedesktop.NetworkManager " \
                "--object-path /org/freedesktop/NetworkManager " \
                "--method org.freedesktop.NetworkManager."

char *
mw_bridge_nm_apply_command (const MwBridgePlan *plan)
{
  const char *argv[] = { "sh", "-c", nm_script, "mw-bridge", plan->bridge,
                         plan->nic != NULL ? plan->nic : "", NULL };

  return mw_shell_join (argv);
}

static char *
parse_object_path (const char *out)
{
  const char *start = out != NULL ? strchr (out, '\'') : NULL;
  const char *end = start != NULL ? strchr (start + 1, '\'') : NULL;

  if (start == NULL || end == NULL)
    return NULL;
  return g_strndup (start + 1, end - start - 1);
}

static char *
state_path (MwBridgeChange *change,
            const char     *suffix)
{
  return g_strdup_printf ("%s/%s.%s", change->plan->state_dir != NULL ? change->plan->state_dir
                                                                      : MW_BRIDGE_STATE_DIR,
                          change->token, suffix);
}

/* The remote command that keeps the change or rolls it back now: NetworkManager destroys the
 * checkpoint or rolls back to it; the iproute2 watcher finds a confirm or a revert file. */
static char *
settle_command (MwBridgeChange *change,
                gboolean        keep)
{
  g_autofree char *path = NULL;
  g_autofree char *qpath = NULL;
  g_autofree char *armed = NULL;
  g_autofree char *qarmed = NULL;

  if (change->method == MW_BRIDGE_METHOD_NETWORK_MANAGER)
    {
      qpath = mw_shell_quote (change->checkpoint);
      return keep ? g_strdup_printf (NM_DBUS "CheckpointDestroy %s >/dev/null && echo kept", qpath)
                  : g_strdup_printf (NM_DBUS "CheckpointRollback %s >/dev/null", qpath);
    }
  path = state_path (change, keep ? "confirm" : "revert");
  qpath = mw_shell_quote (path);
  if (keep)
    return g_strdup_printf ("touch %s", qpath);
  /* Only while the watcher runs: afterwards there is nothing to roll back, and the file would
   * stay behind. */
  armed = state_path (change, "armed");
  qarmed = mw_shell_quote (armed);
  return g_strdup_printf ("if [ -e %s ]; then touch %s; fi", qarmed, qpath);
}

static gboolean
create_with_network_manager (MwBridgeChange *change,
                             GCancellable   *cancellable,
                             GError        **error)
{
  const MwBridgePlan *plan = change->plan;
  g_autofree char *create = NULL;
  g_autofree char *apply = NULL;
  g_autofree char *out = NULL;

  /* flags 7: destroy older checkpoints, delete connections and disconnect devices made after
   * it — the bridge and its port — when it rolls back. No devices: all of them. */
  create = g_strdup_printf (NM_DBUS "CheckpointCreate '@ao []' %u 7", plan->timeout_s);
  if (!mw_setup_ssh_step (plan->ssh_target, _("create a NetworkManager checkpoint"), create,
                          cancellable, &out, error))
    return FALSE;
  change->checkpoint = parse_object_path (out);
  change->deadline = g_get_monotonic_time () + plan->timeout_s * G_USEC_PER_SEC;
  if (change->checkpoint == NULL)
    {
      mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, plan->ssh_target,
                          _("create a NetworkManager checkpoint"), out);
      return FALSE;
    }

  apply = mw_bridge_nm_apply_command (plan);
  if (!mw_setup_ssh_step (plan->ssh_target, _("create the bridge with NetworkManager"), apply,
                          cancellable, NULL, error))
    {
      g_autofree char *rollback = settle_command (change, FALSE);

      /* If even this fails, the checkpoint's timeout still rolls back. */
      mw_setup_ssh_run (plan->ssh_target, rollback, NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_with_iproute2 (MwBridgeChange *change,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_auto(GStrv) argv = mw_bridge_script_argv (change->plan, change->token);
  g_autofree char *command = mw_shell_join ((const char * const *) argv);
  g_autofree char *rollback = NULL;

  change->deadline = g_get_monotonic_time () + change->plan->timeout_s * G_USEC_PER_SEC;
  if (mw_setup_ssh_step (change->plan->ssh_target, _("create the bridge with iproute2"), command,
                         cancellable, NULL, error))
    return TRUE;
  /* Stopped or failed half-way: the watcher, if it was armed, rolls back now rather than at the
   * deadline (if even this fails, it still does at the deadline). */
  rollback = settle_command (change, FALSE);
  mw_setup_ssh_run (change->plan->ssh_target, rollback, NULL, NULL, NULL);
  return FALSE;
}

/* Refuses a NIC that is already a port of a bridge or bond, before anything changes. */
static gboolean
check_nic_is_free (const MwBridgePlan *plan,
                   GCancellable       *cancellable,
                   GError            **error)
{
  const char *step = _("look at the interface");
  g_autofree char *qnic = mw_shell_quote (plan->nic);
  g_autofree char *command = g_strdup_printf ("ip -d -j link show dev %s", qnic);
  g_autofree char *out = NULL;
  g_autofree char *master = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *cause = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!mw_setup_ssh_step (plan->ssh_target, step, command, cancellable, &out, error))
    return FALSE;
  master = mw_bridge_parse_master (out, &kind, &local_error);
  if (local_error != NULL)
    {
      mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, plan->ssh_target, step,
                          local_error->message);
      return FALSE;
    }
  if (master == NULL)
    return TRUE;

  if (g_strcmp0 (kind, "bridge") == 0)
    cause = g_strdup_printf (_("%s is already a port of the bridge %s, so nothing was changed. "
                               "Attach the guests to %s itself, or take %s out of it first "
                               "(ip link set dev %s nomaster)."),
                             plan->nic, master, master, plan->nic, plan->nic);
  else if (g_strcmp0 (kind, "bond") == 0)
    cause = g_strdup_printf (_("%s is already a port of the bond %s, so nothing was changed. "
                               "Give %s as the interface to take over instead."),
                             plan->nic, master, master);
  else
    cause = g_strdup_printf (_("%s is already a port of %s, so nothing was changed. Take it "
                               "out of %s first, or choose another interface."),
                             plan->nic, master, master);
  mw_setup_set_error (error, MW_SETUP_ERROR_CONFLICT, plan->ssh_target, step, cause);
  return FALSE;
}

MwBridgeChange *
mw_bridge_create (const MwBridgePlan *plan,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(MwBridgeChange) change = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *qbridge = NULL;
  g_autofree char *check = NULL;

  g_return_val_if_fail (plan != NULL, NULL);

  if (!mw_bridge_plan_validate (plan, error))
    return NULL;

  if (plan->nic != NULL && !check_nic_is_free (plan, cancellable, error))
    return NULL;

  change = g_new0 (MwBridgeChange, 1);
  change->plan = mw_bridge_plan_copy (plan);
  change->token = g_strdup_printf ("bridge-%s-%08x", plan->bridge, g_random_int ());
  change->method = plan->method;
  if (change->method == MW_BRIDGE_METHOD_AUTO)
    change->method = mw_setup_ssh_run (plan->ssh_target, "nmcli -t general status", cancellable,
                                       NULL, NULL)
                       ? MW_BRIDGE_METHOD_NETWORK_MANAGER : MW_BRIDGE_METHOD_IPROUTE2;

  if (change->method == MW_BRIDGE_METHOD_NETWORK_MANAGER
        ? !create_with_network_manager (change, cancellable, error)
        : !create_with_iproute2 (change, cancellable, error))
    return NULL;

  /* A fresh ssh connection proves the host still answers with the bridge in place. */
  qbridge = mw_shell_quote (plan->bridge);
  check = g_strdup_printf ("ip -br link show dev %s", qbridge);
  if (!mw_setup_ssh_run (plan->ssh_target, check, cancellable, NULL, &local_error))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                   _("%s: check the host still answers: %s — it rolls back by itself within "
                     "%u s"), plan->ssh_target, local_error->message, plan->timeout_s);
      return NULL;
    }
  return g_steal_pointer (&change);
}

MwBridgeOutcome
mw_bridge_change_query (MwBridgeChange *change,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autofree char *out = NULL;
  g_autofree char *command = NULL;

  if (change->method == MW_BRIDGE_METHOD_NETWORK_MANAGER)
    {
      /* The bridge's connection goes with a rollback; a destroyed checkpoint means kept. */
      /* Read-only: the manager's Checkpoints property still lists ours while it can roll
       * back ("…/Checkpoint/1'" so that …/Checkpoint/10 does not match). */
      g_autofree char *pattern = g_strdup_printf ("%s'", change->checkpoint);
      g_autofree char *qpattern = mw_shell_quote (pattern);

      command = g_strdup_printf ("if ! nmcli -t -f NAME con show | grep -qx %s; then "
                                 "echo reverted; elif gdbus call --system "
                                 "--dest org.freedesktop.NetworkManager "
                                 "--object-path /org/freedesktop/NetworkManager "
                                 "--method org.freedesktop.DBus.Properties.Get "
                                 "org.freedesktop.NetworkManager Checkpoints | grep -qF -- %s; "
                                 "then echo applied; else echo kept; fi",
                                 change->plan->bridge, qpattern);
    }
  else
    {
      g_autofree char *status = state_path (change, "status");
      g_autofree char *qstatus = mw_shell_quote (status);

      command = g_strdup_printf ("cat %s", qstatus);
    }
  if (!mw_setup_ssh_run (change->plan->ssh_target, command, cancellable, &out, error))
    return MW_BRIDGE_OUTCOME_PENDING;
  g_strstrip (out);
  if (g_str_equal (out, "kept"))
    return MW_BRIDGE_OUTCOME_KEPT;
  if (g_str_equal (out, "reverted"))
    return MW_BRIDGE_OUTCOME_REVERTED;
  return MW_BRIDGE_OUTCOME_PENDING;
}

/* Waits (polling the host) until the change is no longer pending, at most timeout_s. */
static MwBridgeOutcome
wait_settled (MwBridgeChange *change,
              guint           timeout_s,
              GCancellable   *cancellable,
              GError        **error)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  MwBridgeOutcome outcome;

  do
    {
      g_clear_error (error);
      outcome = mw_bridge_change_query (change, cancellable, error);
      if (outcome != MW_BRIDGE_OUTCOME_PENDING)
        return outcome;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_usleep (300 * 1000);
    }
  while (g_get_monotonic_time () < end);
  return MW_BRIDGE_OUTCOME_PENDING;
}

/* Keeps the change or rolls it back now, and waits until the host reports it so. */
static gboolean
settle (MwBridgeChange *change,
        gboolean        keep,
        GCancellable   *cancellable,
        GError        **error)
{
  const char *target = change->plan->ssh_target;
  const char *step = keep ? _("keep the bridge") : _("roll the bridge back");
  g_autofree char *command = settle_command (change, keep);
  g_autoptr(GError) local_error = NULL;
  MwBridgeOutcome outcome;

  /* A confirmation must reach the host; a rollback happens at the deadline even if not. */
  if (keep && !mw_setup_ssh_step (target, step, command, cancellable, NULL, error))
    return FALSE;
  if (!keep)
    mw_setup_ssh_run (target, command, cancellable, NULL, NULL);

  outcome = wait_settled (change, keep ? 5 : change->plan->timeout_s + 5, cancellable,
                          &local_error);
  if (outcome == (keep ? MW_BRIDGE_OUTCOME_KEPT : MW_BRIDGE_OUTCOME_REVERTED))
    return TRUE;
  if (keep && outcome == MW_BRIDGE_OUTCOME_REVERTED)
    mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, target, step,
                        _("too late: the host had already rolled the change back"));
  else
    mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, target, step,
                        local_error != NULL ? local_error->message
                        : keep ? _("the host did not acknowledge the confirmation")
                               : _("the host does not report the rollback yet"));
  return FALSE;
}

gboolean
mw_bridge_change_confirm (MwBridgeChange *change,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_return_val_if_fail (change != NULL, FALSE);

  return settle (change, TRUE, cancellable, error);
}

gboolean
mw_bridge_change_revert (MwBridgeChange *change,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_return_val_if_fail (change != NULL, FALSE);

  return settle (change, FALSE, cancellable, error);
}

MwBridgeMethod
mw_bridge_change_get_method (MwBridgeChange *change)
{
  return change->method;
}

gint64
mw_bridge_change_get_deadline (MwBridgeChange *change)
{
  return change->deadline;
}

const MwBridgePlan *
mw_bridge_change_get_plan (MwBridgeChange *change)
{
  return change->plan;
}

void
mw_bridge_change_free (MwBridgeChange *change)
{
  if (change == NULL)
    return;
  mw_bridge_plan_free (change->plan);
  g_free (change->token);
  g_free (change->checkpoint);
  g_free (change);
}

static gboolean
create_call (gpointer       data,
             gpointer      *result,
             GCancellable  *cancellable,
             GError       **error)
{
  *result = mw_bridge_create (data, cancellable, error);
  return *result != NULL;
}

void
mw_bridge_create_async (const MwBridgePlan  *plan,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = mw_setup_task_new (mw_bridge_create_async, mw_bridge_plan_copy (plan),
                                             (GDestroyNotify) mw_bridge_plan_free, cancellable,
                                             callback, user_data);

  mw_setup_task_run (task, create_call, (GDestroyNotify) mw_bridge_change_free);
}

MwBridgeChange *
mw_bridge_create_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_bridge_create_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  MwBridgeChange *change;      /* borrowed: the caller keeps it alive until completion */
  gboolean confirm;
} SettleData;

static gboolean
settle_call (gpointer       data,
             gpointer      *result,
             GCancellable  *cancellable,
             GError       **error)
{
  SettleData *input = data;

  return settle (input->change, input->confirm, cancellable, error);
}

void
mw_bridge_change_settle_async (MwBridgeChange      *change,
                               gboolean             confirm,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SettleData *input = g_new0 (SettleData, 1);
  g_autoptr(GTask) task = mw_setup_task_new (mw_bridge_change_settle_async, input, g_free,
                                             cancellable, callback, user_data);

  input->change = change;
  input->confirm = confirm;
  mw_setup_task_run (task, settle_call, NULL);
}

gboolean
mw_bridge_change_settle_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_bridge_change_settle_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

