/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-verify.h: after a migration, both hosts are asked where the guest is; a host
 * that cannot be asked is recorded as such, never taken for "not there". Part of the migration
 * job; workers only. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "mw-job-sample.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean dest_exists, dest_active, dest_persistent;
  gboolean src_exists, src_active;
  gboolean dest_unreachable, src_unreachable;  /* the host could not be asked */
  gboolean dest_leftover;      /* an unfinished incoming copy (mw-leftover.h), not counted active */
  /* A post-copy that broke off (virDomainGetState: paused or, since libvirt 8.5, running with
   * reason POSTCOPY_FAILED): the guest's memory is split between the hosts. */
  gboolean dest_postcopy_failed, src_postcopy_failed;
  char *dest_check_error;      /* why the destination could not be asked */
  gboolean have_completed;     /* libvirt kept the finished job's statistics */
  MwJobSample completed;
} MwVerifyFindings;

void              mw_verify_findings_free (MwVerifyFindings *findings);

/* Looks for domain_name on both hosts. call_succeeded: the migration call returned success (an
 * unfinished copy is only looked for after a failure). */
MwVerifyFindings *mw_migration_verify     (virConnectPtr     sconn,
                                           virConnectPtr     dconn,
                                           const char       *domain_name,
                                           gboolean          migration_started,
                                           gboolean          call_succeeded);

G_END_DECLS
