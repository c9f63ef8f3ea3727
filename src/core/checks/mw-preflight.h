/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight.h: every pre-flight check of one planned migration, run concurrently.
 *
 * Main thread only. mw_preflight_run opens its own connections to both hosts and gathers
 * their facts in two workers (or takes them from a shared MwPreflightHosts), then runs every check in its own worker; each check that does
 * not answer within `timeout` seconds becomes ERROR ("did not answer within N s") and its late
 * result is dropped. The checks are a GListModel of MwCheck, in a fixed order, whose states fill
 * in as they finish. `n-blocking`, `n-warnings`, `n-errors` and `running` notify as they change.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mw-check.h"
#include "mw-migration-options.h"
#include "mw-preflight-hosts.h"

G_BEGIN_DECLS

#define MW_PREFLIGHT_ERROR (mw_preflight_error_quark ())

typedef enum
{
  MW_PREFLIGHT_ERROR_NO_FIX,      /* the check has no fix MigWizard can apply */
  MW_PREFLIGHT_ERROR_NOT_READY,   /* run first: the fix needs the facts and connections */
  MW_PREFLIGHT_ERROR_TIMED_OUT,
} MwPreflightError;

#define MW_PREFLIGHT_DEFAULT_TIMEOUT_S 30

#define MW_TYPE_PREFLIGHT (mw_preflight_get_type ())

G_DECLARE_FINAL_TYPE (MwPreflight, mw_preflight, MW, PREFLIGHT, GObject)

GQuark        mw_preflight_error_quark   (void);

/* options may be NULL for the defaults; it is copied. */
MwPreflight  *mw_preflight_new           (const char               *source_uri,
                                          const char               *dest_uri,
                                          const char               *domain,
                                          const MwMigrationOptions *options);

const char   *mw_preflight_get_source_uri (MwPreflight *self);
const char   *mw_preflight_get_dest_uri   (MwPreflight *self);
const char   *mw_preflight_get_domain     (MwPreflight *self);
/* MwCheck items; the list never changes, only the checks' properties do. */
GListModel   *mw_preflight_get_checks     (MwPreflight *self);
MwCheck      *mw_preflight_find_check     (MwPreflight *self,
                                           const char  *id);
/* The convergence forecast of the last run (the "forecast" check's figures), or NULL when none
 * was made (not run yet, an offline migration, the dirty rate not measured). */
const MwForecast *mw_preflight_get_forecast (MwPreflight *self);

guint         mw_preflight_get_timeout    (MwPreflight *self);
void          mw_preflight_set_timeout    (MwPreflight *self,
                                           guint        seconds);
/* The migration link's throughput for the forecast, bytes/s; 0 (default) estimates it. */
guint64       mw_preflight_get_link_bps   (MwPreflight *self);
void          mw_preflight_set_link_bps   (MwPreflight *self,
                                           guint64      bytes_per_s);

/* The hosts' facts this preflight shares with others (mw-preflight-hosts.h): its runs read
 * both hosts' facts from there instead of gathering them, and use its connections. Set it
 * before mw_preflight_run; NULL (the default): every run gathers its own. A fix or the re-run
 * of one check still reads fresh facts. */
MwPreflightHosts *mw_preflight_get_hosts  (MwPreflight      *self);
void          mw_preflight_set_hosts      (MwPreflight      *self,
                                           MwPreflightHosts *hosts);

gboolean      mw_preflight_get_running    (MwPreflight *self);
guint         mw_preflight_get_n_blocking (MwPreflight *self);
guint         mw_preflight_get_n_warnings (MwPreflight *self);
guint         mw_preflight_get_n_errors   (MwPreflight *self);

/* Starts (or restarts) every check. Returns at once; watch `running`. */
void          mw_preflight_run            (MwPreflight *self);
/* Stops waiting for the current run: unfinished checks become ERROR. */
void          mw_preflight_cancel         (MwPreflight *self);
/* Runs one check again (with freshly gathered facts). */
void          mw_preflight_rerun_check    (MwPreflight *self,
                                           MwCheck     *check);

/* Applies check's fix in a worker, then runs the check again; completes once the fix is done
 * (the check's state shows the re-run). Needs a finished mw_preflight_run. */
void          mw_preflight_fix_async      (MwPreflight         *self,
                                           MwCheck             *check,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      mw_preflight_fix_finish     (MwPreflight         *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* { "source", "destination", "domain", "running", "n_blocking", "n_warnings", "n_errors",
 *   "checks": [ { "id", "title", "state", "sentence", "detail", "fix", "can_fix",
 *                 "fix_label" } ] } */
JsonNode     *mw_preflight_to_json        (MwPreflight *self);

G_END_DECLS
