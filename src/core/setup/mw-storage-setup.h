/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-storage-setup.h: shared NFS storage for two hosts.
 *
 * The plan (MwNfsPlan, a boxed struct of plain strings) says which machine serves which
 * directory to which network, and which libvirt pool both hosts mount it as. Rendering it is
 * pure (any thread): the /etc/exports line, the server's commands, the firewall and SELinux
 * notes, the pool XML (built with libvirt-gconfig).
 *
 * Everything that touches a machine is blocking and meant for a worker thread, with the GTask
 * `_async`/`_finish` pair for the main thread:
 *  - the server side over ssh (each step journaled, undone on failure, then `showmount -e`);
 *  - the netfs pool on each host through libvirt: look for a same-named pool (identical: kept
 *    and reused; different: reported, never overwritten), define, build, autostart, start; a
 *    failing step undoes what this run did on THAT host only;
 *  - the cross-host check: a 1 MiB raw volume made on one host, seen by the other after a
 *    refresh, then deleted.
 * Errors always read "host: step: cause".
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "mw-setup-host.h"
#include "mw-setup-journal.h"

G_BEGIN_DECLS

typedef struct
{
  char *server;        /* NFS server: a name or address both hosts reach */
  char *export_path;   /* absolute directory on the server */
  char *network;       /* who may mount it: the hosts' network, "10.78.0.0/24" */
  char *pool_name;     /* the libvirt pool on both hosts */
  char *target_path;   /* where both hosts mount it: the same path on both */
  char *ssh_user;      /* for applying the server side; NULL: "root" */
} MwNfsPlan;

#define MW_NFS_DEFAULT_POOL "migwizard-nfs"
#define MW_NFS_DEFAULT_TARGET "/var/lib/libvirt/migwizard-nfs"
#define MW_NFS_EXPORTS_FILE "/etc/exports"
#define MW_NFS_EXPORT_OPTIONS "rw,sync,no_subtree_check,no_root_squash"

#define MW_TYPE_NFS_PLAN (mw_nfs_plan_get_type ())

GType        mw_nfs_plan_get_type          (void) G_GNUC_CONST;
/* pool_name and target_path may be NULL for the defaults above. */
MwNfsPlan   *mw_nfs_plan_new               (const char      *server,
                                            const char      *export_path,
                                            const char      *network,
                                            const char      *pool_name,
                                            const char      *target_path);
MwNfsPlan   *mw_nfs_plan_copy              (const MwNfsPlan *self);
void         mw_nfs_plan_free              (MwNfsPlan       *self);

/* MW_SETUP_ERROR_INVALID with one sentence naming the field. */
gboolean     mw_nfs_plan_validate          (const MwNfsPlan *self,
                                            GError         **error);
/* Sentences about a plan that is valid but risky, translated, one a risk: a network that lets
 * anyone mount the export ("*", 0.0.0.0/0, ::/0), a whole top-level directory (/home, /var …).
 * "/" and the system's own directories (/etc, /usr …) are refused by validate instead. Empty
 * when there is nothing to say. */
GStrv        mw_nfs_plan_get_warnings      (const MwNfsPlan *self);
/* ssh_user@server, as mw_nfs_apply_server reaches the server: for checking its host key
 * (mw_ssh_check_host_key, mw_setup_host_key_decide) before the first step. */
MwSshTarget *mw_nfs_plan_get_ssh_target    (const MwNfsPlan *self,
                                            GError         **error);
/* "/srv/vmstore 10.78.0.0/24(rw,sync,no_subtree_check,no_root_squash)" */
char        *mw_nfs_plan_get_exports_line  (const MwNfsPlan *self);
/* Where the firewall lets NFS in from: the plan's network when it is an address or one
 * (10.78.0.0/24), "any" for a name, a pattern or everyone (ufw takes addresses only). */
char        *mw_nfs_plan_get_firewall_source (const MwNfsPlan *self);
/* What the server has to run, one shell command a line, in order (for display and copying). */
GStrv        mw_nfs_plan_get_server_commands (const MwNfsPlan *self);
/* The whole plan as text for display: server, exports line, commands, firewall, SELinux, the
 * pool on both hosts and its virsh equivalent. */
char        *mw_nfs_plan_render            (const MwNfsPlan *self);

/* The netfs pool: type netfs, source host + dir + format nfs, target path. New reference. */
GVirConfigStoragePool *mw_nfs_plan_build_pool_config (const MwNfsPlan *self);
char        *mw_nfs_plan_get_pool_xml      (const MwNfsPlan *self);

/* Blocking, worker: applies the server side over ssh (user@server), one journal step each:
 * export directory, /etc/exports line, exportfs -r, firewall, then verifies with showmount -e.
 * Returns the journal's steps (MwSetupStep) even on failure, when steps is not NULL. */
gboolean     mw_nfs_apply_server           (const MwNfsPlan *plan,
                                            GCancellable    *cancellable,
                                            GPtrArray      **steps,
                                            GError         **error);

/* Blocking, worker: creates a 1 MiB raw volume in pool_name on a, refreshes the pool on b,
 * looks the volume up there, deletes it. */
gboolean     mw_storage_verify_shared      (const char      *pool_name,
                                            virConnectPtr    a,
                                            const char      *a_label,
                                            virConnectPtr    b,
                                            const char      *b_label,
                                            GError         **error);
/* Blocking, worker: an active pool both hosts have under the same name and target path, and
 * that a test volume proves shared (the lab's bind-mounted "shared"), as "name\ttarget"; NULL
 * when there is none. */
char        *mw_storage_find_common_pool   (virConnectPtr    a,
                                            virConnectPtr    b,
                                            const char      *exclude);

/* The whole host side for two hosts (by URI), in a worker: define+build+start on both (each
 * journaled on its own), verify across them when both succeeded, and, when a host failed,
 * look for a pool both already share. */
typedef struct
{
  GPtrArray *steps;           /* MwSetupStep of both hosts, in order */
  char *error_a;              /* "hosta: start the pool: …" or NULL */
  char *error_b;
  gboolean verified;          /* the volume made on A was seen on B */
  char *verify_error;
  char *fallback_pool;        /* a pool both hosts already share ("shared"), or NULL */
  char *fallback_path;
} MwPoolSetupResult;

void         mw_pool_setup_result_free     (MwPoolSetupResult *result);
gboolean     mw_pool_setup_result_ok       (const MwPoolSetupResult *result);
/* One line per step and outcome, for the CLI and the UI's Details. */
char        *mw_pool_setup_result_to_string (const MwPoolSetupResult *result);

MwPoolSetupResult *mw_nfs_setup_pools      (const MwNfsPlan *plan,
                                            const char      *uri_a,
                                            const char      *uri_b,
                                            GCancellable    *cancellable,
                                            GError         **error);
void         mw_nfs_setup_pools_async      (const MwNfsPlan     *plan,
                                            const char          *uri_a,
                                            const char          *uri_b,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MwPoolSetupResult *mw_nfs_setup_pools_finish (GAsyncResult     *result,
                                              GError          **error);

/* The server side in a worker; returns the steps (MwSetupStep), NULL with error on failure —
 * then *steps still holds what ran. */
void         mw_nfs_apply_server_async     (const MwNfsPlan     *plan,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray   *mw_nfs_apply_server_finish    (GAsyncResult        *result,
                                            GPtrArray          **steps,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwNfsPlan, mw_nfs_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwPoolSetupResult, mw_pool_setup_result_free)

G_END_DECLS
