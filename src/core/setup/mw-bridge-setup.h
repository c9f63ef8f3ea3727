/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-bridge-setup.h: the same bridge on both hosts.
 *
 * Listing (worker): each host's bridges (libvirt's interface driver, or `ip -j link show type
 * bridge` over ssh when libvirt has none to offer) and libvirt networks, and which of them a
 * domain's interfaces use.
 *
 * Creating a bridge over ssh never risks cutting a host off: the change rolls back by itself
 * unless confirmed within the plan's timeout.
 *  - NetworkManager (when `nmcli -t general status` works): an NM checkpoint with a rollback
 *    timeout (D-Bus CheckpointCreate through gdbus: nmcli has no checkpoint command), then the
 *    bridge and its port; confirming destroys the checkpoint, anything else lets NM roll back.
 *  - iproute2 otherwise: a small POSIX sh script (mw_bridge_get_script) records the NIC's
 *    IPv4 and IPv6 addresses and routes, starts a watcher on the host itself, detached from ssh
 *    and from the step's process group, and only then creates the bridge and moves the NIC, its
 *    addresses and routes onto it. The watcher restores everything unless a confirm file appears
 *    in time, so a failed, killed or cut-off apply rolls back too.
 * A NIC that is already a port of a bridge or bond is refused before anything changes (moving it
 * would take that one's uplink): the error names the master and what to do instead.
 * Or a libvirt network in bridge mode on an existing bridge (libvirt-gconfig).
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "mw-setup-journal.h"

G_BEGIN_DECLS

#define MW_BRIDGE_DEFAULT_TIMEOUT_S 30
#define MW_BRIDGE_STATE_DIR "/run/mig-wizard"

typedef enum
{
  MW_BRIDGE_METHOD_AUTO,            /* NetworkManager when it runs, else iproute2 */
  MW_BRIDGE_METHOD_NETWORK_MANAGER,
  MW_BRIDGE_METHOD_IPROUTE2,
} MwBridgeMethod;

typedef enum
{
  MW_BRIDGE_OUTCOME_PENDING,        /* applied, waiting for a confirm */
  MW_BRIDGE_OUTCOME_KEPT,
  MW_BRIDGE_OUTCOME_REVERTED,
} MwBridgeOutcome;

typedef struct
{
  char *name;
  char *bridge;          /* the Linux bridge it uses, or NULL */
  char *forward_mode;    /* "bridge", "nat", NULL (isolated) */
  gboolean active;
} MwNetworkInfo;

typedef struct
{
  char *uri;
  char *label;           /* "hosta" */
  GStrv bridges;         /* sorted */
  char *bridges_from;    /* "libvirt", "ssh", or NULL when neither could say */
  GPtrArray *networks;   /* MwNetworkInfo */
  char *error;           /* why the host could not be read, or NULL */
} MwHostNetworks;

/* One interface of the domain: what it is attached to. */
typedef struct
{
  char *mac;
  gboolean is_network;   /* a libvirt network; FALSE: a host bridge */
  char *source;          /* the network or bridge name */
} MwDomainNic;

typedef struct
{
  char *ssh_target;      /* "root@hostb" */
  char *bridge;          /* the new bridge, "br1" */
  char *nic;             /* the NIC whose addresses move onto it; NULL or "": an empty bridge */
  guint timeout_s;       /* rolls back unless confirmed within this */
  MwBridgeMethod method;
  char *state_dir;       /* iproute2 bookkeeping on the host; NULL: MW_BRIDGE_STATE_DIR */
} MwBridgePlan;

typedef struct _MwBridgeChange MwBridgeChange;

void            mw_host_networks_free        (MwHostNetworks *self);
gboolean        mw_host_networks_has_bridge  (const MwHostNetworks *self,
                                              const char           *bridge);
const MwNetworkInfo *mw_host_networks_find_network (const MwHostNetworks *self,
                                                    const char           *name);
/* Is nic's source present on this host (as a bridge, or a libvirt network)? */
gboolean        mw_host_networks_provides    (const MwHostNetworks *self,
                                              const MwDomainNic    *nic);

/* Blocking, worker: lists through libvirt; ssh_target (may be NULL) is the fallback for the
 * bridges. Never NULL: a host that cannot be read has error set. */
MwHostNetworks *mw_host_networks_gather      (const char     *uri,
                                              const char     *ssh_target,
                                              GCancellable   *cancellable);
/* Parses `ip -j link show type bridge`: sorted names. */
GStrv           mw_bridge_parse_ip_json      (const char     *json,
                                              GError        **error);
/* Parses `ip -d -j link show dev NIC`: the bridge or bond (or other master) NIC is a port of, or
 * NULL (without error) when it is a port of none; kind (may be NULL) gets "bridge", "bond", …,
 * or NULL when ip does not say. */
char           *mw_bridge_parse_master       (const char     *json,
                                              char          **kind,
                                              GError        **error);

void            mw_domain_nic_free           (MwDomainNic    *nic);
/* Blocking, worker: the interfaces of domain (name or UUID) on uri. */
GPtrArray      *mw_domain_nics_gather        (const char     *uri,
                                              const char     *domain,
                                              GError        **error);

/* Both hosts and the domain's NICs, in one worker. */
typedef struct
{
  MwHostNetworks *a;
  MwHostNetworks *b;
  GPtrArray *nics;       /* MwDomainNic; empty without a domain */
  char *domain_error;
} MwNetworkSurvey;

void            mw_network_survey_free       (MwNetworkSurvey *self);
void            mw_network_survey_async      (const char          *uri_a,
                                              const char          *ssh_a,
                                              const char          *uri_b,
                                              const char          *ssh_b,
                                              const char          *domain,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
MwNetworkSurvey *mw_network_survey_finish    (GAsyncResult        *result,
                                              GError             **error);

/* "user@host[:port]" for an ssh, tcp or tls URI (mw_ssh_target_new_for_uri: the port only for
 * qemu+ssh; "root" unless the URI names a user); NULL for local and test URIs. */
char           *mw_bridge_ssh_target_for_uri (const char     *uri);

MwBridgePlan   *mw_bridge_plan_new           (const char     *ssh_target,
                                              const char     *bridge,
                                              const char     *nic,
                                              guint           timeout_s);
MwBridgePlan   *mw_bridge_plan_copy          (const MwBridgePlan *self);
void            mw_bridge_plan_free          (MwBridgePlan   *self);
gboolean        mw_bridge_plan_validate      (const MwBridgePlan *self,
                                              GError            **error);

/* The confirm-or-revert script. Arguments: BRIDGE NIC TIMEOUT_S TOKEN STATE_DIR WATCHER (the
 * watcher's script); prints "applied" and exits 0 once the bridge is up; exit 3: refused (the
 * bridge exists, the NIC does not or is a port of something else), nothing changed; anything
 * else: failed and restored by the watcher. Files it keeps: STATE_DIR/TOKEN.status holds
 * "applying", "applied", "kept" or "reverted"; TOKEN.armed exists while the watcher runs;
 * touching TOKEN.confirm keeps the change, TOKEN.revert rolls back at once; TOKEN.log lists the
 * phases ("saved", "armed", "applying", "applied" or "failed", "kept" or "reverted"). */
const char     *mw_bridge_get_script         (void);
/* argv that runs the script: sh -c SCRIPT mw-bridge BRIDGE NIC TIMEOUT TOKEN DIR WATCHER. */
GStrv           mw_bridge_script_argv        (const MwBridgePlan *plan,
                                              const char         *token);
/* The NetworkManager commands, as one remote shell command each (for display and tests). */
char           *mw_bridge_nm_apply_command   (const MwBridgePlan *plan);

/* Blocking, worker: applies the plan and checks the host still answers over ssh. The returned
 * change is PENDING until confirmed; without a confirm it rolls back on the host by itself
 * timeout_s after being applied. */
MwBridgeChange *mw_bridge_create             (const MwBridgePlan *plan,
                                              GCancellable       *cancellable,
                                              GError            **error);
/* Blocking, worker: keeps the change (if the host still answers in time). */
gboolean        mw_bridge_change_confirm     (MwBridgeChange     *change,
                                              GCancellable       *cancellable,
                                              GError            **error);
/* Blocking, worker: rolls back now instead of waiting for the timeout, and waits for it. */
gboolean        mw_bridge_change_revert      (MwBridgeChange     *change,
                                              GCancellable       *cancellable,
                                              GError            **error);
/* Blocking, worker: asks the host what became of the change. */
MwBridgeOutcome mw_bridge_change_query       (MwBridgeChange     *change,
                                              GCancellable       *cancellable,
                                              GError            **error);
MwBridgeMethod  mw_bridge_change_get_method  (MwBridgeChange     *change);
/* Monotonic time (µs) at which the host rolls back by itself. */
gint64          mw_bridge_change_get_deadline (MwBridgeChange    *change);
const MwBridgePlan *mw_bridge_change_get_plan (MwBridgeChange    *change);
void            mw_bridge_change_free        (MwBridgeChange     *change);

void            mw_bridge_create_async       (const MwBridgePlan  *plan,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
MwBridgeChange *mw_bridge_create_finish      (GAsyncResult        *result,
                                              GError             **error);
/* confirm TRUE: keep; FALSE: roll back now. The change must stay alive until completion. */
void            mw_bridge_change_settle_async  (MwBridgeChange      *change,
                                                gboolean             confirm,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        mw_bridge_change_settle_finish (GAsyncResult        *result,
                                                GError             **error);

/* The libvirt network "name" in bridge mode on an existing host bridge, through
 * libvirt-gconfig; autostarted and started. */
GVirConfigNetwork *mw_bridge_build_network_config (const char *name,
                                                   const char *bridge,
                                                   GError    **error);
/* Blocking, worker: defines, autostarts and starts it; on failure undoes what it did on this
 * host. A same-named network on another bridge is reported, not overwritten. */
gboolean        mw_bridge_define_network     (virConnectPtr   conn,
                                              const char     *host_label,
                                              const char     *name,
                                              const char     *bridge,
                                              GPtrArray     **steps,
                                              GError        **error);

/* The same in a worker, opening its own connection to uri; returns the steps (MwSetupStep). On
 * failure returns NULL with error, and *steps (may be NULL) still holds what ran. */
void            mw_bridge_define_network_async  (const char          *uri,
                                                 const char          *name,
                                                 const char          *bridge,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray      *mw_bridge_define_network_finish (GAsyncResult        *result,
                                                 GPtrArray          **steps,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwHostNetworks, mw_host_networks_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwBridgePlan, mw_bridge_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwBridgeChange, mw_bridge_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwNetworkSurvey, mw_network_survey_free)

G_END_DECLS
