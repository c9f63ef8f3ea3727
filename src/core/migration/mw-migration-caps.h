/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-caps.h: which of the newer migration options work on this pair of hosts, and
 * if not, why, in one sentence.
 *
 * The facts (each host's libvirt and QEMU version and CPUs, and whether the guest's memory is
 * locked) are read once per pair by mw_migration_caps_read (); everything after is a pure
 * function of them, so tests give fake versions. A version of 0 means "not known": the option
 * is then not greyed, and libvirt has the last word.
 *
 * The rules, each from libvirt's and QEMU's own documentation:
 * - parallel connections (VIR_MIGRATE_PARALLEL, "parallel.connections"): libvirt 5.2;
 * - zero-copy (VIR_MIGRATE_ZEROCOPY): libvirt 8.5 and QEMU 7.1, and the guest's memory locked
 *   (<memoryBacking><locked/>) or capped (<memtune><hard_limit>), since QEMU pins the pages it
 *   sends;
 * - xbzrle: every supported version;
 * - mt (multithread compression): removed in QEMU 9.1;
 * - zlib, zstd (multifd compression): libvirt 9.4 on both hosts (the value of
 *   VIR_MIGRATE_PARAM_COMPRESSION, libvirt-domain.h "Supported compression methods: xbzrle, mt,
 *   zlib, zstd", since 9.4.0) and QEMU 5.0.
 */
#pragma once

#include <glib-object.h>
#include <libvirt/libvirt.h>

#include "mw-migration-options.h"

G_BEGIN_DECLS

typedef enum
{
  MW_MIGRATION_FEATURE_PARALLEL,
  MW_MIGRATION_FEATURE_ZEROCOPY,
  MW_MIGRATION_FEATURE_XBZRLE,
  MW_MIGRATION_FEATURE_MT,
  MW_MIGRATION_FEATURE_ZLIB,
  MW_MIGRATION_FEATURE_ZSTD,
  MW_MIGRATION_N_FEATURES,
} MwMigrationFeature;

typedef struct
{
  char *name;                 /* as the sentences name the host ("hostb") */
  gulong libvirt_version;     /* virConnectGetLibVersion: major * 1,000,000 + minor * 1,000 */
  gulong qemu_version;        /* virConnectGetVersion, the same encoding */
  guint cpus;                 /* virNodeGetInfo; 0: not known */
} MwMigrationHostFacts;

typedef struct
{
  MwMigrationHostFacts source;
  MwMigrationHostFacts destination;
  gboolean memory_locked;     /* the guest's <memoryBacking><locked/> */
  guint64 hard_limit_kib;     /* the guest's <memtune><hard_limit>; 0: none */
} MwMigrationCaps;

#define MW_TYPE_MIGRATION_CAPS (mw_migration_caps_get_type ())

GType            mw_migration_caps_get_type (void) G_GNUC_CONST;

MwMigrationCaps *mw_migration_caps_new      (void);
MwMigrationCaps *mw_migration_caps_copy     (const MwMigrationCaps *self);
void             mw_migration_caps_free     (MwMigrationCaps       *self);

/* Reads the domain XML's memory locking facts into self. FALSE with an error for bad XML. */
gboolean         mw_migration_caps_set_domain_xml (MwMigrationCaps  *self,
                                                   const char       *xml,
                                                   GError          **error);

/* NULL when feature works on this pair, else one translated sentence saying what is missing
 * and where ("Needs libvirt 9.4 on both hosts; hostb has 9.0."). */
char            *mw_migration_caps_why_not  (const MwMigrationCaps *self,
                                             MwMigrationFeature     feature);
/* The feature options needs, or MW_MIGRATION_N_FEATURES when it needs none; first is where to
 * start looking, so a caller can walk them all. */
MwMigrationFeature mw_migration_caps_next_needed (const MwMigrationOptions *options,
                                                  MwMigrationFeature        first);
/* FALSE with MW_MIGRATION_OPTIONS_ERROR_UNSUPPORTED and why_not ()'s sentence for the first
 * option in options that this pair cannot do. */
gboolean         mw_migration_caps_check    (const MwMigrationCaps    *self,
                                             const MwMigrationOptions *options,
                                             GError                  **error);

/* How many parallel connections to offer: the fewer CPUs of the two hosts, at most 4 (at
 * least 1), and, when explanation is given, one translated sentence why. */
guint            mw_migration_caps_default_parallel (const MwMigrationCaps *self,
                                                     char                 **explanation);

/* "9.4" for 9004000. */
char            *mw_version_string          (gulong                 version);

/* Worker. Opens both hosts, reads the facts and the domain's definition (on the source). */
MwMigrationCaps *mw_migration_caps_read     (const char            *source_uri,
                                             const char            *destination_uri,
                                             const char            *domain,
                                             GCancellable          *cancellable,
                                             GError               **error);
void             mw_migration_caps_read_async  (const char          *source_uri,
                                                const char          *destination_uri,
                                                const char          *domain,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
MwMigrationCaps *mw_migration_caps_read_finish (GAsyncResult        *result,
                                                GError             **error);

/* Test hook: when set, mw_migration_caps_read () replaces the versions it read with these
 * (for the UI test against two test:/// connections); 0 keeps what was read. */
void             mw_migration_caps_set_fake_versions (gulong source_libvirt,
                                                      gulong source_qemu,
                                                      gulong destination_libvirt,
                                                      gulong destination_qemu);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMigrationCaps, mw_migration_caps_free)

G_END_DECLS
