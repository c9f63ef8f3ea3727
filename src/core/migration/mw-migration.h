/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration.h: one live migration of a domain between two libvirt hosts.
 *
 * The caller owns the connections: it opens them (in a worker), keeps them alive and closes
 * them. mw_migration_abort blocks and must run in a worker thread; the migration itself runs
 * in a worker of its own.
 * What to do comes from MwMigrationOptions (mw-migration-options.h), which maps itself to libvirt
 * flags and parameters. Errors: libvirt's are MW_LIBVIRT_ERROR, conflicting options
 * MW_MIGRATION_OPTIONS_ERROR, a missing destination MW_MIGRATION_ERROR. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "mw-migration-options.h"

G_BEGIN_DECLS

#define MW_MIGRATION_ERROR (mw_migration_error_quark ())

typedef enum
{
  MW_MIGRATION_ERROR_INVALID_OPTIONS,  /* no destination connection or URI for the chosen mode */
} MwMigrationError;

GQuark              mw_migration_error_quark        (void);

/* Migrates the domain called domain (a name or a UUID) from sconn to dconn in a worker that
 * holds its own references to both. Client-driven (virDomainMigrate3) needs dconn; peer-to-peer
 * and tunnelled (virDomainMigrateToURI3) need dest_uri, the destination's URI as the *source
 * host* sees it (NULL: the URI of dconn). The cancellable is only checked before starting: to
 * stop a migration in flight, call mw_migration_abort from another thread. */
void                mw_migration_migrate_async      (virConnectPtr             sconn,
                                                     const char               *domain,
                                                     virConnectPtr             dconn,
                                                     const char               *dest_uri,
                                                     const MwMigrationOptions *options,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
gboolean            mw_migration_migrate_finish     (GAsyncResult             *result,
                                                     GError                  **error);

/* Aborts the migration job of domain on sconn (virDomainAbortJob). Safe to call from another
 * thread while mw_migration_migrate blocks; the domain keeps running on the source. */
gboolean            mw_migration_abort              (virConnectPtr             sconn,
                                                     const char               *domain,
                                                     GCancellable             *cancellable,
                                                     GError                  **error);

G_END_DECLS
