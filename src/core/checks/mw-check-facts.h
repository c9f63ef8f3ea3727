/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-facts.h: what the pre-flight checks know about both hosts and the domain.
 *
 * Gathered once per run, each host in its own worker (mw_host_facts_gather,
 * mw_domain_facts_gather), then read-only: every check's worker reads the same MwCheckFacts
 * at once, so nothing in it changes after gathering. Plain data only (no libvirt or
 * libvirt-gconfig objects), so the evaluation functions are pure and the tests craft facts from
 * XML text (mw_host_facts_set_capabilities, mw_domain_facts_new_from_xml) or by hand.
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "mw-migration-options.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;
  char *type;          /* "dir", "netfs", "logical"… */
  char *target_path;   /* NULL for pools without one (rbd, iscsi-direct) */
  gboolean active;
} MwPoolFact;

typedef struct
{
  char *name;
  char *bridge;        /* the Linux bridge the network uses, when it has one */
  gboolean active;
} MwNetworkFact;

typedef struct
{
  char *name;          /* a host interface libvirt knows (a bridge, a NIC) */
  gboolean active;
} MwInterfaceFact;

typedef struct
{
  char *uri;
  char *error;           /* why the host could not be reached or read; NULL when fine */
  char *hostname;
  char *hv_type;         /* virConnectGetType: "QEMU", "Test" */
  guint64 lib_version;   /* the host's libvirt, major * 1000000 + minor * 1000 + micro; 0: unknown */
  char *host_uuid;       /* capabilities' host/uuid, NULL when not reported */
  char *arch;            /* host CPU architecture */
  char *cpu_vendor;      /* "Intel", "AMD", NULL */
  char *cpu_model;       /* "Skylake-Client-IBRS", NULL */
  GStrv cpu_features;    /* host CPU features named in the capabilities, sorted */
  guint64 free_memory;   /* bytes */
  gboolean have_free_memory;
  GArray *pools;         /* MwPoolFact */
  GArray *networks;      /* MwNetworkFact */
  GArray *interfaces;    /* MwInterfaceFact */
  gboolean have_interfaces; /* FALSE when the host's interface driver is unavailable */
  GPtrArray *domain_names;  /* every domain defined or running there */
  GPtrArray *domain_uuids;
} MwHostFacts;

typedef enum
{
  MW_DISK_FILE,
  MW_DISK_BLOCK,
  MW_DISK_DIR,
  MW_DISK_NETWORK,
  MW_DISK_VOLUME,
} MwDiskKind;

typedef struct
{
  char *target;        /* vda */
  char *device;        /* "disk", "cdrom", "floppy", "lun" */
  MwDiskKind kind;
  char *source;        /* a path; for network disks protocol/name; NULL for an empty drive */
  char *pool;          /* for volume disks */
  char *volume;
  char *cache;         /* the driver's cache attribute; NULL when unset (QEMU: writeback) */
  gboolean readonly;
  gboolean shareable;
} MwDiskFact;

typedef enum
{
  MW_INTERFACE_BRIDGE,
  MW_INTERFACE_NETWORK,
  MW_INTERFACE_DIRECT,   /* macvtap on a host NIC */
  MW_INTERFACE_USER,
  MW_INTERFACE_OTHER,
} MwInterfaceKind;

typedef struct
{
  MwInterfaceKind kind;
  char *source;        /* bridge, network or host device name */
  char *mac;
} MwNicFact;

typedef struct
{
  char *name;
  char *uuid;
  gboolean active;
  gboolean persistent;
  gboolean autostart;
  guint64 migrate_speed_mib_s; /* libvirt's speed for its next migration (migrate-getspeed); 0: not said */
  guint64 memory_kib;      /* current (what has to fit on the destination) */
  guint64 max_memory_kib;
  char *virt_type;         /* "kvm", "qemu", "test" */
  char *arch;              /* os/type@arch */
  char *cpu_mode;          /* "custom", "host-model", "host-passthrough", NULL for none */
  char *cpu_model;
  char *cpu_xml;           /* the <cpu> element, for virConnectCompareHypervisorCPU */
  GArray *disks;           /* MwDiskFact */
  GArray *nics;            /* MwNicFact */
  GPtrArray *hostdevs;     /* one description each: "PCI 0000:03:00.0", "USB 046d:c52b" */
  char *nvram;             /* path, NULL when none */
  char *tpm_backend;       /* "emulator", "passthrough", NULL */
  guint n_leases;          /* <lease> elements (sanlock) */
  char *cluster_hint;      /* why the domain looks cluster-managed, NULL when it does not */
  char *inactive_xml;      /* the persistent definition, for fixes; NULL when transient */
} MwDomainFacts;

/* One run's facts. Atomically refcounted; read-only once made. */
typedef struct
{
  char *source_uri;
  char *dest_uri;
  char *domain_name;
  MwMigrationOptions *options;
  MwHostFacts *source;
  MwHostFacts *dest;
  MwDomainFacts *domain;   /* NULL when the domain could not be read */
  char *domain_error;      /* why not */
  guint64 link_bps;        /* set by the caller: 0 means "estimate" (see mw-check-forecast.c) */
} MwCheckFacts;

/* Atomically refcounted, so several runs' MwCheckFacts can share one host's facts (see
 * mw-preflight-hosts.h); mw_host_facts_free drops a reference. */
MwHostFacts   *mw_host_facts_new              (const char     *uri);
MwHostFacts   *mw_host_facts_ref              (MwHostFacts    *facts);
void           mw_host_facts_free             (MwHostFacts    *facts);
/* Reads host UUID, arch, CPU vendor/model/features from capabilities XML. */
gboolean       mw_host_facts_set_capabilities (MwHostFacts    *facts,
                                               const char     *caps_xml,
                                               GError        **error);
void           mw_host_facts_add_pool         (MwHostFacts    *facts,
                                               const char     *name,
                                               const char     *type,
                                               const char     *target_path,
                                               gboolean        active);
void           mw_host_facts_add_network      (MwHostFacts    *facts,
                                               const char     *name,
                                               const char     *bridge,
                                               gboolean        active);
void           mw_host_facts_add_interface    (MwHostFacts    *facts,
                                               const char     *name,
                                               gboolean        active);
void           mw_host_facts_add_domain       (MwHostFacts    *facts,
                                               const char     *name,
                                               const char     *uuid);
/* Blocking, worker thread: reads everything above through conn. FALSE with a GError (libvirt's,
 * converted in this thread) when the host cannot be read at all. */
gboolean       mw_host_facts_gather           (MwHostFacts    *facts,
                                               virConnectPtr   conn,
                                               GError        **error);

/* Parses domain XML (live or inactive) with libvirt-gconfig. */
MwDomainFacts *mw_domain_facts_new_from_xml   (const char     *xml,
                                               GError        **error);
void           mw_domain_facts_free           (MwDomainFacts  *facts);
/* Blocking, worker thread: looks the domain up by name or UUID and reads its live XML (its
 * persistent one too, when it has one) and state. */
MwDomainFacts *mw_domain_facts_gather         (virConnectPtr   conn,
                                               const char     *domain,
                                               GError        **error);

MwCheckFacts  *mw_check_facts_new             (const char               *source_uri,
                                               const char               *dest_uri,
                                               const char               *domain_name,
                                               const MwMigrationOptions *options);
MwCheckFacts  *mw_check_facts_ref             (MwCheckFacts   *facts);
void           mw_check_facts_unref           (MwCheckFacts   *facts);

/* Lookups for the checks. */
const MwPoolFact    *mw_host_facts_find_pool_for_path (const MwHostFacts *facts,
                                                       const char        *path);
const MwPoolFact    *mw_host_facts_find_pool          (const MwHostFacts *facts,
                                                       const char        *name);
const MwNetworkFact *mw_host_facts_find_network       (const MwHostFacts *facts,
                                                       const char        *name);
const MwNetworkFact *mw_host_facts_find_network_by_bridge (const MwHostFacts *facts,
                                                           const char        *bridge);
const MwInterfaceFact *mw_host_facts_find_interface   (const MwHostFacts *facts,
                                                       const char        *name);
gboolean             mw_host_facts_has_domain_name    (const MwHostFacts *facts,
                                                       const char        *name);
gboolean             mw_host_facts_has_domain_uuid    (const MwHostFacts *facts,
                                                       const char        *uuid);

/* Opens a connection for a worker: refuses interactive credentials, and adds no_tty=1 to ssh
 * URIs so ssh fails instead of prompting. Blocking. */
virConnectPtr  mw_check_open_connection       (const char     *uri,
                                               GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwHostFacts, mw_host_facts_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDomainFacts, mw_domain_facts_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwCheckFacts, mw_check_facts_unref)

G_END_DECLS
