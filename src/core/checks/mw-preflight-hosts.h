/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight-hosts.h: the hosts' facts, gathered once and shared by many pre-flight runs.
 *
 * Main thread. An evacuation plan runs one MwPreflight per guest, all against the same source
 * and one of a few destinations. On its own each run opens both hosts and reads all their facts
 * (for a host of 1000 domains: 2000 connections and 2000 listings). Given to
 * mw_preflight_set_hosts (), this object opens each host once, gathers its MwHostFacts once in
 * a worker, and hands every run that asks the same read-only facts and a reference to the same
 * connection; the domain's own facts are still read by each run. What a host said (or why it
 * could not be read) is kept for as long as the object lives: a new plan makes a new one.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MW_TYPE_PREFLIGHT_HOSTS (mw_preflight_hosts_get_type ())

G_DECLARE_FINAL_TYPE (MwPreflightHosts, mw_preflight_hosts, MW, PREFLIGHT_HOSTS, GObject)

MwPreflightHosts *mw_preflight_hosts_new             (void);
/* How many hosts were gathered (or are being gathered): one per URI asked for. */
guint             mw_preflight_hosts_get_n_gathered  (MwPreflightHosts *self);

G_END_DECLS
