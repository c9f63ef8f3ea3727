/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-volumes.h: the volumes a migration pre-creates on its destination (copy storage),
 * and their removal when the guest does not arrive. Part of the migration job; workers only. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef struct
{
  char *pool;
  char *name;
} MwCreatedVolume;

/* A GArray of MwCreatedVolume that frees its strings. */
GArray   *mw_created_volumes_new       (void);
GArray   *mw_created_volumes_copy      (GArray         *volumes);
/* Removes each volume from the destination; a failure is logged, not fatal. */
void      mw_created_volumes_delete    (virConnectPtr   dconn,
                                        GArray         *volumes);
/* Creates on the destination, in the pool of the same name, each file disk volume of sdom it
 * lacks: same name, capacity and format, sparse; appends each to created. FALSE with a
 * MW_MIGRATION_JOB_ERROR_STORAGE error naming the disk and what to do. */
gboolean  mw_created_volumes_precreate (virConnectPtr   sconn,
                                        virConnectPtr   dconn,
                                        virDomainPtr    sdom,
                                        GArray         *created,
                                        GError        **error);

G_END_DECLS
