/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight-private.h: what the two halves of MwPreflight share. mw-preflight.c is the
 * object and its result model (the checks, the counts, JSON); mw-preflight-run.c runs a pass:
 * gathering facts, then every check in its own worker. */
#pragma once

#include "mw-check-facts.h"
#include "mw-check-rules.h"
#include "mw-preflight.h"
#include "mw-preflight-hosts.h"

G_BEGIN_DECLS

/* The run's two connections and the pair's capabilities, shared by the workers; the
 * connections are closed in a worker when the last one is done with them. Atomically
 * refcounted. */
typedef struct
{
  virConnectPtr sconn;
  virConnectPtr dconn;
  MwCheckCapsShare *caps;    /* read once, by the first check that needs them; NULL in a copy */
} MwPreflightConnections;

typedef struct
{
  MwCheck *check;
  const MwCheckSpec *spec;
  guint generation;    /* bumped whenever a result for this slot stops being wanted */
  guint timeout_id;
  gboolean running;
} MwPreflightSlot;

typedef struct _MwPreflightGathered MwPreflightGathered;

struct _MwPreflight
{
  GObject parent_instance;

  /* Owned */
  char *source_uri;
  char *dest_uri;
  char *domain;
  MwMigrationOptions *options;
  guint timeout_s;
  guint64 link_bps;
  GListStore *checks;        /* MwCheck, in spec order */
  GArray *slots;             /* MwPreflightSlot, same order */
  GCancellable *cancellable; /* of the current run */
  MwCheckFacts *facts;       /* of the last gathering; NULL before */
  MwPreflightConnections *conns;  /* of the current run; NULL before */
  MwPreflightHosts *hosts;   /* the hosts' facts to share; NULL: each run gathers its own */

  /* Gathering in progress */
  guint run_generation;
  guint gather_timeout_id;
  gboolean gathering;
  MwPreflightGathered *gathered_source;
  MwPreflightGathered *gathered_dest;

  gboolean running;
  guint n_blocking;
  guint n_warnings;
  guint n_errors;
};

/* mw-preflight.c: recounts the checks' states and notifies the counts that changed. */
void mw_preflight_update_summary (MwPreflight *self);

/* Tests: spec runs instead of the check with the same id (e.g. one that takes its time). spec
 * must outlive self; call before mw_preflight_run. */
void mw_preflight_replace_spec   (MwPreflight       *self,
                                  const MwCheckSpec *spec);

/* mw-preflight-run.c: drops everything of the current run (for dispose). */
void mw_preflight_clear_run      (MwPreflight *self);

/* mw-preflight-run.c. Blocking, worker: opens uri and gathers its facts; *conn is NULL when it
 * could not be opened, and the facts' error says what went wrong. */
MwHostFacts *mw_preflight_gather_host        (const char    *uri,
                                              virConnectPtr *conn);
/* Any thread: drops a reference to conn (may be NULL) in a worker. */
void         mw_preflight_release_connection (virConnectPtr  conn);

/* mw-preflight-hosts.c: one run's share of a host: its own reference to the connection (NULL
 * when the host could not be opened) and to the read-only facts. */
typedef struct
{
  virConnectPtr conn;
  MwHostFacts *facts;
} MwPreflightHost;

void             mw_preflight_host_free        (MwPreflightHost     *host);
/* Main thread: the host's share, gathered on the first call for uri. */
void             mw_preflight_hosts_get_async  (MwPreflightHosts    *self,
                                                const char          *uri,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
MwPreflightHost *mw_preflight_hosts_get_finish (MwPreflightHosts    *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
