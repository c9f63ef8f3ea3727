/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight-run.c: one pre-flight pass: gathering facts on both hosts, then every check in
 * its own worker, each with its own timeout.
 *
 * Threads: the MwPreflight, its checks and slots belong to the main thread. Workers get a
 * reference to the run's read-only MwCheckFacts and to its connections, and hand back plain
 * results. Each slot and each run has a generation number: a result that comes back after its
 * timeout, or after the run was restarted, no longer matches and is dropped.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-preflight-private.h"

/* Connections */

/* Worker: closes a copy of the connections, then frees it. */
static void
connections_close (gpointer data)
{
  MwPreflightConnections *conns = data;

  if (conns->sconn != NULL)
    virConnectClose (conns->sconn);
  if (conns->dconn != NULL)
    virConnectClose (conns->dconn);
  g_free (conns);
}

/* The last reference went, on whichever thread (often the main one): close in a worker. */
static void
connections_clear (gpointer data)
{
  MwPreflightConnections *conns = data;

  g_clear_pointer (&conns->caps, mw_check_caps_share_unref);
  if (conns->sconn == NULL && conns->dconn == NULL)
    return;
  mw_libvirt_release_in_worker (connections_close, g_memdup2 (conns, sizeof *conns));
}

static MwPreflightConnections *
connections_ref (MwPreflightConnections *conns)
{
  return g_atomic_rc_box_acquire (conns);
}

static void
connections_unref (gpointer conns)
{
  g_atomic_rc_box_release_full (conns, connections_clear);
}

/* Gathering: one worker per host. */

struct _MwPreflightGathered
{
  virConnectPtr conn;
  MwHostFacts *host;
  MwDomainFacts *domain;     /* source only */
  char *domain_error;
};

static void
gather_result_free (gpointer data)
{
  MwPreflightGathered *result = data;

  if (result == NULL)
    return;
  if (result->conn != NULL)
    {
      MwPreflightConnections *conns = g_atomic_rc_box_new0 (MwPreflightConnections);

      /* Closed in a worker, never here on the main thread. */
      conns->sconn = result->conn;
      connections_unref (conns);
    }
  mw_host_facts_free (result->host);
  mw_domain_facts_free (result->domain);
  g_free (result->domain_error);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwPreflightGathered, gather_result_free)

static void
connection_close (gpointer conn)
{
  virConnectClose (conn);
}

void
mw_preflight_release_connection (virConnectPtr conn)
{
  mw_libvirt_release_in_worker (connection_close, conn);
}

MwHostFacts *
mw_preflight_gather_host (const char    *uri,
                          virConnectPtr *conn)
{
  MwHostFacts *host = mw_host_facts_new (uri);
  g_autoptr(GError) error = NULL;

  *conn = mw_check_open_connection (uri, &error);
  if (*conn == NULL || !mw_host_facts_gather (host, *conn, &error))
    host->error = g_strdup (error->message);
  return host;
}

/* What a gathering worker starts from: the host to open, or (shared hosts) its connection and
 * facts already there. */
typedef struct
{
  char *uri;
  char *domain;          /* NULL for the destination */
  virConnectPtr conn;
  MwHostFacts *host;
} GatherData;

static void
gather_data_free (gpointer data)
{
  GatherData *gather = data;

  g_free (gather->uri);
  g_free (gather->domain);
  mw_preflight_release_connection (gather->conn);
  g_clear_pointer (&gather->host, mw_host_facts_free);
  g_free (gather);
}

static void
gather_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GatherData *data = task_data;
  g_autoptr(MwPreflightGathered) result = g_new0 (MwPreflightGathered, 1);
  g_autoptr(GError) error = NULL;

  if (data->host != NULL)
    {
      result->conn = g_steal_pointer (&data->conn);
      result->host = g_steal_pointer (&data->host);
    }
  else
    result->host = mw_preflight_gather_host (data->uri, &result->conn);
  if (result->host->error == NULL && data->domain != NULL)
    {
      result->domain = mw_domain_facts_gather (result->conn, data->domain, &error);
      if (result->domain == NULL)
        result->domain_error = g_strdup (error->message);
    }

  g_task_return_pointer (task, g_steal_pointer (&result), gather_result_free);
}

static void
slot_finish (MwPreflight         *self,
             MwPreflightSlot     *slot,
             const MwCheckResult *result)
{
  g_clear_handle_id (&slot->timeout_id, g_source_remove);
  slot->running = FALSE;
  slot->generation++;
  mw_check_apply_result (slot->check, result);
  mw_preflight_update_summary (self);
}

static void
slot_finish_error (MwPreflight     *self,
                   MwPreflightSlot *slot,
                   const char      *sentence)
{
  MwCheckResult result = { 0 };

  mw_check_result_set (&result, MW_CHECK_STATE_ERROR, sentence, NULL, NULL, NULL);
  slot_finish (self, slot, &result);
  mw_check_result_clear (&result);
}

static MwPreflightSlot *
find_slot (MwPreflight *self,
           MwCheck     *check)
{
  for (guint i = 0; i < self->slots->len; i++)
    if (g_array_index (self->slots, MwPreflightSlot, i).check == check)
      return &g_array_index (self->slots, MwPreflightSlot, i);
  return NULL;
}

/* Running one check */

typedef struct
{
  MwCheckFacts *facts;
  MwPreflightConnections *conns;
  const MwCheckSpec *spec;
  guint timeout_s;
  gboolean regather;   /* gather fresh facts first, with the run's connections */
  gboolean fix;        /* apply the spec's fix (and nothing else) */
} CheckData;

static void
check_data_free (gpointer data)
{
  CheckData *check = data;

  g_clear_pointer (&check->facts, mw_check_facts_unref);
  g_clear_pointer (&check->conns, connections_unref);
  g_free (check);
}

typedef struct
{
  MwCheckResult result;
  MwCheckFacts *facts;   /* the fresh facts, when regathered */
} CheckOutcome;

static void
check_outcome_free (gpointer data)
{
  CheckOutcome *outcome = data;

  mw_check_result_clear (&outcome->result);
  g_clear_pointer (&outcome->facts, mw_check_facts_unref);
  g_free (outcome);
}

static MwCheckFacts *
regather (const MwCheckFacts     *old,
          MwPreflightConnections *conns)
{
  MwCheckFacts *facts = mw_check_facts_new (old->source_uri, old->dest_uri, old->domain_name,
                                            old->options);
  g_autoptr(GError) error = NULL;

  facts->link_bps = old->link_bps;
  if (!mw_host_facts_gather (facts->source, conns->sconn, &error))
    facts->source->error = g_strdup (error->message);
  g_clear_error (&error);
  if (!mw_host_facts_gather (facts->dest, conns->dconn, &error))
    facts->dest->error = g_strdup (error->message);
  g_clear_error (&error);
  facts->domain = mw_domain_facts_gather (conns->sconn, old->domain_name, &error);
  if (facts->domain == NULL)
    facts->domain_error = g_strdup (error->message);

  return facts;
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  CheckOutcome *outcome = g_new0 (CheckOutcome, 1);
  /* Fresh facts come with fresh caps: a check run again reads them itself. */
  MwCheckContext context = { data->facts, data->conns->sconn, data->conns->dconn,
                             data->timeout_s, data->regather ? NULL : data->conns->caps };
  GError *error = NULL;

  if (data->fix)
    {
      if (!data->spec->fix (&context, cancellable, &error))
        {
          check_outcome_free (outcome);
          g_task_return_error (task, error);
          return;
        }
      g_task_return_pointer (task, outcome, check_outcome_free);
      return;
    }

  if (data->regather)
    {
      outcome->facts = regather (data->facts, data->conns);
      context.facts = outcome->facts;
    }
  if (data->spec->run != NULL)
    data->spec->run (&context, &outcome->result, cancellable);
  else
    data->spec->eval (context.facts, &outcome->result);
  g_task_return_pointer (task, outcome, check_outcome_free);
}

/* What a worker's callback or a timeout needs to tell whether its result is still wanted: the
 * preflight, if it still exists, and the generation the work was started under (its check's
 * slot's, or the run's for a gathering). Main thread only. */
typedef struct
{
  MwPreflight *self;   /* weak */
  MwCheck *check;      /* NULL for a gathering */
  guint generation;
  gboolean is_source;  /* a gathering: the source host's */
} WorkRef;

static WorkRef *
work_ref_new (MwPreflight *self,
              MwCheck     *check,
              guint        generation)
{
  WorkRef *ref = g_new0 (WorkRef, 1);

  g_set_weak_pointer (&ref->self, self);
  ref->check = check != NULL ? g_object_ref (check) : NULL;
  ref->generation = generation;
  return ref;
}

static void
work_ref_free (gpointer data)
{
  WorkRef *ref = data;

  g_clear_weak_pointer (&ref->self);
  g_clear_object (&ref->check);
  g_free (ref);
}

/* The slot of a check's work when its result is still wanted, else NULL. */
static MwPreflightSlot *
work_ref_get_slot (WorkRef *ref)
{
  MwPreflightSlot *slot;

  if (ref->self == NULL)
    return NULL;
  slot = find_slot (ref->self, ref->check);
  return slot != NULL && slot->generation == ref->generation ? slot : NULL;
}

static void
on_check_done_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WorkRef *ref = user_data;
  MwPreflight *self = ref->self;
  MwPreflightSlot *slot = work_ref_get_slot (ref);
  /* NULL once the run's cancellable fired, even when the worker returned an outcome: GTask
   * drops it and hands back the cancellation instead. */
  CheckOutcome *outcome = g_task_propagate_pointer (G_TASK (result), NULL);

  if (outcome != NULL && slot != NULL && slot->running)
    {
      if (outcome->facts != NULL)
        {
          g_clear_pointer (&self->facts, mw_check_facts_unref);
          self->facts = mw_check_facts_ref (outcome->facts);
        }
      slot_finish (self, slot, &outcome->result);
    }
  g_clear_pointer (&outcome, check_outcome_free);
  work_ref_free (ref);
}

static gboolean
on_slot_timeout_cb (gpointer user_data)
{
  WorkRef *ref = user_data;
  MwPreflight *self = ref->self;
  MwPreflightSlot *slot = work_ref_get_slot (ref);

  if (slot != NULL)
    {
      g_autofree char *sentence =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The check did not answer within %u s.",
                                      "The check did not answer within %u s.", self->timeout_s),
                         self->timeout_s);

      slot->timeout_id = 0;
      slot_finish_error (self, slot, sentence);
    }
  return G_SOURCE_REMOVE;
}

static void
start_slot (MwPreflight     *self,
            MwPreflightSlot *slot,
            gboolean         regather)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;
  MwCheckNeeds needs = slot->spec->needs;
  const char *missing = NULL;

  g_clear_handle_id (&slot->timeout_id, g_source_remove);
  slot->generation++;
  slot->running = TRUE;
  mw_check_set_state (slot->check, MW_CHECK_STATE_RUNNING);

  if ((needs & MW_CHECK_NEEDS_SOURCE) && (self->facts->source->error || self->conns->sconn == NULL))
    missing = _("Not checked: the source host could not be reached.");
  else if ((needs & MW_CHECK_NEEDS_DEST) && (self->facts->dest->error || self->conns->dconn == NULL))
    missing = _("Not checked: the destination host could not be reached.");
  else if ((needs & MW_CHECK_NEEDS_DOMAIN) && self->facts->domain == NULL)
    missing = _("Not checked: the domain could not be read.");
  if (missing != NULL && !regather)
    {
      slot_finish_error (self, slot, missing);
      return;
    }

  data = g_new0 (CheckData, 1);
  data->facts = mw_check_facts_ref (self->facts);
  data->conns = connections_ref (self->conns);
  data->spec = slot->spec;
  data->timeout_s = self->timeout_s;
  data->regather = regather && self->conns->sconn != NULL && self->conns->dconn != NULL;

  task = g_task_new (NULL, self->cancellable, on_check_done_cb,
                     work_ref_new (self, slot->check, slot->generation));
  g_task_set_source_tag (task, start_slot);
  g_task_set_task_data (task, data, check_data_free);
  g_task_run_in_thread (task, check_thread);

  slot->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, self->timeout_s,
                                                 on_slot_timeout_cb,
                                                 work_ref_new (self, slot->check, slot->generation),
                                                 work_ref_free);
  mw_preflight_update_summary (self);
}

/* After gathering */

static void
start_checks (MwPreflight *self)
{
  g_autoptr(MwPreflightGathered) source = g_steal_pointer (&self->gathered_source);
  g_autoptr(MwPreflightGathered) dest = g_steal_pointer (&self->gathered_dest);
  MwCheckFacts *facts;
  g_autofree char *late = g_strdup_printf (_("The host did not answer within %u s."),
                                           self->timeout_s);

  g_clear_handle_id (&self->gather_timeout_id, g_source_remove);
  self->gathering = FALSE;

  facts = mw_check_facts_new (self->source_uri, self->dest_uri, self->domain, self->options);
  facts->link_bps = self->link_bps;
  if (source != NULL)
    {
      mw_host_facts_free (facts->source);
      facts->source = g_steal_pointer (&source->host);
      facts->domain = g_steal_pointer (&source->domain);
      facts->domain_error = g_steal_pointer (&source->domain_error);
    }
  else
    facts->source->error = g_strdup (late);
  if (dest != NULL)
    {
      mw_host_facts_free (facts->dest);
      facts->dest = g_steal_pointer (&dest->host);
    }
  else
    facts->dest->error = g_strdup (late);
  if (facts->domain == NULL && facts->domain_error == NULL)
    facts->domain_error = g_strdup (_("The source host could not be read."));

  g_clear_pointer (&self->facts, mw_check_facts_unref);
  self->facts = facts;
  g_clear_pointer (&self->conns, connections_unref);
  self->conns = g_atomic_rc_box_new0 (MwPreflightConnections);
  if (source != NULL)
    self->conns->sconn = g_steal_pointer (&source->conn);
  if (dest != NULL)
    self->conns->dconn = g_steal_pointer (&dest->conn);
  self->conns->caps = mw_check_caps_share_new ();

  for (guint i = 0; i < self->slots->len; i++)
    start_slot (self, &g_array_index (self->slots, MwPreflightSlot, i), FALSE);
  mw_preflight_update_summary (self);
}

/* Keeps what a gathering brought while the run still wants it; starts the checks once both
 * hosts answered. */
static void
take_gathered (WorkRef             *ref,
               MwPreflightGathered *gathered)
{
  MwPreflight *self = ref->self;

  if (self == NULL || !self->gathering || ref->generation != self->run_generation)
    {
      gather_result_free (gathered);
      return;
    }
  if (ref->is_source)
    self->gathered_source = gathered;
  else
    self->gathered_dest = gathered;
  if (self->gathered_source != NULL && self->gathered_dest != NULL)
    start_checks (self);
}

static void
on_gather_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WorkRef *ref = user_data;
  MwPreflightGathered *gathered = g_task_propagate_pointer (G_TASK (result), NULL);

  if (gathered != NULL)
    take_gathered (ref, gathered);
  work_ref_free (ref);
}

static void start_gather_worker (WorkRef    *ref,
                                 GatherData *data);

/* A shared host answered: the destination is gathered; the source still has its domain to
 * read, with the shared connection. */
static void
on_shared_host_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WorkRef *ref = user_data;
  MwPreflight *self = ref->self;
  MwPreflightHost *host = mw_preflight_hosts_get_finish (MW_PREFLIGHT_HOSTS (source_object),
                                                         result, NULL);
  MwPreflightGathered *gathered;

  if (host == NULL || self == NULL || !self->gathering
      || ref->generation != self->run_generation)
    {
      mw_preflight_host_free (host);
      work_ref_free (ref);
      return;
    }
  if (ref->is_source && host->facts->error == NULL)
    {
      GatherData *data = g_new0 (GatherData, 1);

      data->uri = g_strdup (self->source_uri);
      data->domain = g_strdup (self->domain);
      data->conn = g_steal_pointer (&host->conn);
      data->host = g_steal_pointer (&host->facts);
      mw_preflight_host_free (host);
      start_gather_worker (ref, data);
      return;
    }
  gathered = g_new0 (MwPreflightGathered, 1);
  gathered->conn = g_steal_pointer (&host->conn);
  gathered->host = g_steal_pointer (&host->facts);
  mw_preflight_host_free (host);
  take_gathered (ref, gathered);
  work_ref_free (ref);
}

static gboolean
on_gather_timeout_cb (gpointer user_data)
{
  MwPreflight *self = user_data;

  self->gather_timeout_id = 0;
  start_checks (self);
  return G_SOURCE_REMOVE;
}

/* Takes ref and data. */
static void
start_gather_worker (WorkRef    *ref,
                     GatherData *data)
{
  g_autoptr(GTask) task = g_task_new (NULL, ref->self->cancellable, on_gather_done_cb, ref);

  g_task_set_source_tag (task, start_gather_worker);
  g_task_set_task_data (task, data, gather_data_free);
  g_task_run_in_thread (task, gather_thread);
}

static void
start_gather (MwPreflight *self,
              const char  *uri,
              const char  *domain,
              gboolean     is_source)
{
  WorkRef *ref = work_ref_new (self, NULL, self->run_generation);
  GatherData *data;

  ref->is_source = is_source;
  if (self->hosts != NULL)
    {
      mw_preflight_hosts_get_async (self->hosts, uri, self->cancellable, on_shared_host_cb, ref);
      return;
    }
  data = g_new0 (GatherData, 1);
  data->uri = g_strdup (uri);
  data->domain = g_strdup (domain);
  start_gather_worker (ref, data);
}

/* Public */

void
mw_preflight_run (MwPreflight *self)
{
  g_return_if_fail (MW_IS_PREFLIGHT (self));

  mw_preflight_cancel (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->run_generation++;
  self->gathering = TRUE;

  for (guint i = 0; i < self->slots->len; i++)
    {
      MwPreflightSlot *slot = &g_array_index (self->slots, MwPreflightSlot, i);
      MwCheckResult pending = { MW_CHECK_STATE_RUNNING, NULL, NULL, NULL, NULL, NULL };

      slot->generation++;
      slot->running = FALSE;
      mw_check_apply_result (slot->check, &pending);
    }

  start_gather (self, self->source_uri, self->domain, TRUE);
  start_gather (self, self->dest_uri, NULL, FALSE);
  self->gather_timeout_id = g_timeout_add_seconds (self->timeout_s, on_gather_timeout_cb, self);
  mw_preflight_update_summary (self);
}

void
mw_preflight_cancel (MwPreflight *self)
{
  g_return_if_fail (MW_IS_PREFLIGHT (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (self->gathering)
    {
      g_clear_handle_id (&self->gather_timeout_id, g_source_remove);
      g_clear_pointer (&self->gathered_source, gather_result_free);
      g_clear_pointer (&self->gathered_dest, gather_result_free);
      self->gathering = FALSE;
      self->run_generation++;
    }

  for (guint i = 0; i < self->slots->len; i++)
    {
      MwPreflightSlot *slot = &g_array_index (self->slots, MwPreflightSlot, i);

      if (mw_check_get_state (slot->check) == MW_CHECK_STATE_RUNNING)
        slot_finish_error (self, slot, _("The check was cancelled."));
    }
  mw_preflight_update_summary (self);
}

void
mw_preflight_rerun_check (MwPreflight *self,
                          MwCheck     *check)
{
  MwPreflightSlot *slot;

  g_return_if_fail (MW_IS_PREFLIGHT (self));
  g_return_if_fail (MW_IS_CHECK (check));

  slot = find_slot (self, check);
  g_return_if_fail (slot != NULL);

  if (self->facts == NULL || self->gathering)
    {
      mw_preflight_run (self);
      return;
    }
  start_slot (self, slot, TRUE);
}

static void
on_fix_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MwPreflight *self = g_task_get_source_object (task);
  MwCheck *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  CheckOutcome *outcome = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_pointer (&outcome, check_outcome_free);

  /* Either way the check runs again, so what it shows is true. */
  if (find_slot (self, check) != NULL)
    mw_preflight_rerun_check (self, check);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
mw_preflight_fix_async (MwPreflight         *self,
                        MwCheck             *check,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  CheckData *data;
  MwPreflightSlot *slot;

  g_return_if_fail (MW_IS_PREFLIGHT (self));
  g_return_if_fail (MW_IS_CHECK (check));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_preflight_fix_async);
  g_task_set_task_data (task, g_object_ref (check), g_object_unref);

  slot = find_slot (self, check);
  if (slot == NULL || slot->spec->fix == NULL || !mw_check_get_can_fix (check))
    {
      g_task_return_new_error (task, MW_PREFLIGHT_ERROR, MW_PREFLIGHT_ERROR_NO_FIX,
                               _("MigWizard cannot fix this by itself."));
      return;
    }
  if (self->facts == NULL || self->conns == NULL || self->gathering
      || self->conns->sconn == NULL || slot->running)
    {
      g_task_return_new_error (task, MW_PREFLIGHT_ERROR, MW_PREFLIGHT_ERROR_NOT_READY,
                               _("Wait for the checks to finish, then try again."));
      return;
    }

  g_clear_handle_id (&slot->timeout_id, g_source_remove);
  slot->generation++;
  mw_check_set_state (check, MW_CHECK_STATE_RUNNING);
  mw_preflight_update_summary (self);

  data = g_new0 (CheckData, 1);
  data->facts = mw_check_facts_ref (self->facts);
  data->conns = connections_ref (self->conns);
  data->spec = slot->spec;
  data->timeout_s = self->timeout_s;
  data->fix = TRUE;

  worker = g_task_new (NULL, cancellable, on_fix_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, mw_preflight_fix_async);
  g_task_set_task_data (worker, data, check_data_free);
  g_task_run_in_thread (worker, check_thread);
}

gboolean
mw_preflight_fix_finish (MwPreflight   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_preflight_fix_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_preflight_clear_run (MwPreflight *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->gather_timeout_id, g_source_remove);
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    g_clear_handle_id (&g_array_index (self->slots, MwPreflightSlot, i).timeout_id,
                       g_source_remove);
  g_clear_pointer (&self->gathered_source, gather_result_free);
  g_clear_pointer (&self->gathered_dest, gather_result_free);
  g_clear_pointer (&self->facts, mw_check_facts_unref);
  g_clear_pointer (&self->conns, connections_unref);
  g_clear_object (&self->cancellable);
}
