/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-summary.h: the result's paragraph in words, built from the verified facts only:
 * where the guest was found running (never libvirt's word alone), a host that could not be
 * asked, an unfinished copy left behind, the time, passes, pause and pings. */
#pragma once

#include "mw-migration-job.h"

G_BEGIN_DECLS

typedef struct
{
  const char *domain_name;
  const char *source_host;
  const char *destination_host;
  gboolean offline;            /* an offline migration: only the definition moves */
  gboolean migration_started;  /* the migration call was made */
} MwSummaryContext;

/* One translated paragraph for result (its state, where the guest is, figures). */
char *mw_migration_summary (const MwMigrationJobResult *result,
                            const MwSummaryContext     *context);

G_END_DECLS
