/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight.c: gathering facts on both hosts, then every check in its own worker.
 *
 * Threads: the MwPreflight, its checks and slots belong to the main thread. Workers get a
 * reference to the run's read-only MwCheckFacts and to its Connections, and hand back plain
 * results. Each slot and each run has a generation number: a result that comes back after its
 * timeout, or after the run was restarted, no longer matches and is dropped.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-check-facts.h"
#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-preflight.h"

G_DEFINE_QUARK (mw-preflight-error-quark, mw_preflight_error)

/* The run's two connections, shared by the workers; closed in a worker when the last one is
 * done with them. */
typedef struct
{
  virConnectPtr sconn;
  virConnectPtr dconn;
} Connections;

static void
close_connections_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  Connections *conns = task_data;

  if (conns->sconn != NULL)
    virConnectClose (conns->sconn);
  if (conns->dconn != NULL)
    virConnectClose (conns->dconn);
  virResetLastError ();
  g_task_return_boolean (task, TRUE);
}

static void
connections_clear (gpointer data)
{
  Connections *conns = data;
  g_autoptr(GTask) task = NULL;

  if (conns->sconn == NULL && conns->dconn == NULL)
    return;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, connections_clear);
  g_task_set_task_data (task, g_memdup2 (conns, sizeof *conns), g_free);
  g_task_run_in_thread (task, close_connections_thread);
}

static Connections *
connections_ref (Connections *conns)
{
  return g_atomic_rc_box_acquire (conns);
}

static void
connections_unref (gpointer conns)
{
  g_atomic_rc_box_release_full (conns, connections_clear);
}

typedef struct
{
  MwCheck *check;
  const MwCheckSpec *spec;
  guint generation;    /* bumped whenever a result for this slot stops being wanted */
  guint timeout_id;
  gboolean running;
} Slot;

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
  GArray *slots;             /* Slot, same order */
  GCancellable *cancellable; /* of the current run */
  MwCheckFacts *facts;       /* of the last gathering; NULL before */
  Connections *conns;        /* of the current run; NULL before */

  /* Gathering in progress */
  guint run_generation;
  guint gather_timeout_id;
  gboolean gathering;
  struct GatherResult *gathered_source;
  struct GatherResult *gathered_dest;

  gboolean running;
  guint n_blocking;
  guint n_warnings;
  guint n_errors;
};

G_DEFINE_FINAL_TYPE (MwPreflight, mw_preflight, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SOURCE_URI,
  PROP_DEST_URI,
  PROP_DOMAIN,
  PROP_CHECKS,
  PROP_TIMEOUT,
  PROP_LINK_BPS,
  PROP_RUNNING,
  PROP_N_BLOCKING,
  PROP_N_WARNINGS,
  PROP_N_ERRORS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Gathering: one worker per host. */

typedef struct GatherResult
{
  virConnectPtr conn;
  MwHostFacts *host;
  MwDomainFacts *domain;     /* source only */
  char *domain_error;
} GatherResult;

static void
gather_result_free (gpointer data)
{
  GatherResult *result = data;

  if (result == NULL)
    return;
  if (result->conn != NULL)
    {
      Connections *conns = g_atomic_rc_box_new0 (Connections);

      /* Closed in a worker, never here on the main thread. */
      conns->sconn = result->conn;
      connections_unref (conns);
    }
  mw_host_facts_free (result->host);
  mw_domain_facts_free (result->domain);
  g_free (result->domain_error);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GatherResult, gather_result_free)

typedef struct
{
  char *uri;
  char *domain;   /* NULL for the destination */
  guint generation;
} GatherData;

static void
gather_data_free (gpointer data)
{
  GatherData *gather = data;

  g_free (gather->uri);
  g_free (gather->domain);
  g_free (gather);
}

static void
gather_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GatherData *data = task_data;
  g_autoptr(GatherResult) result = g_new0 (GatherResult, 1);
  g_autoptr(GError) error = NULL;

  result->host = mw_host_facts_new (data->uri);
  result->conn = mw_check_open_connection (data->uri, &error);
  if (result->conn == NULL)
    {
      result->host->error = g_strdup (error->message);
      g_task_return_pointer (task, g_steal_pointer (&result), gather_result_free);
      return;
    }

  if (!mw_host_facts_gather (result->host, result->conn, &error))
    {
      result->host->error = g_strdup (error->message);
      g_task_return_pointer (task, g_steal_pointer (&result), gather_result_free);
      return;
    }

  if (data->domain != NULL)
    {
      result->domain = mw_domain_facts_gather (result->conn, data->domain, &error);
      if (result->domain == NULL)
        result->domain_error = g_strdup (error->message);
    }

  g_task_return_pointer (task, g_steal_pointer (&result), gather_result_free);
}

/* Counting */

static void
update_summary (MwPreflight *self)
{
  guint n_blocking = 0, n_warnings = 0, n_errors = 0;
  gboolean running = self->gathering;

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = &g_array_index (self->slots, Slot, i);

      switch (mw_check_get_state (slot->check))
        {
        case MW_CHECK_STATE_BLOCKING:
          n_blocking++;
          break;
        case MW_CHECK_STATE_WARNING:
          n_warnings++;
          break;
        case MW_CHECK_STATE_ERROR:
          n_errors++;
          break;
        case MW_CHECK_STATE_RUNNING:
          running = TRUE;
          break;
        case MW_CHECK_STATE_PENDING:
        case MW_CHECK_STATE_PASSED:
        default:
          break;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_blocking != n_blocking)
    {
      self->n_blocking = n_blocking;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BLOCKING]);
    }
  if (self->n_warnings != n_warnings)
    {
      self->n_warnings = n_warnings;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WARNINGS]);
    }
  if (self->n_errors != n_errors)
    {
      self->n_errors = n_errors;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ERRORS]);
    }
  if (self->running != running)
    {
      self->running = running;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
slot_finish (MwPreflight         *self,
             Slot                *slot,
             const MwCheckResult *result)
{
  g_clear_handle_id (&slot->timeout_id, g_source_remove);
  slot->running = FALSE;
  slot->generation++;
  mw_check_apply_result (slot->check, result);
  update_summary (self);
}

static void
slot_finish_error (MwPreflight *self,
                   Slot        *slot,
                   const char  *sentence)
{
  MwCheckResult result = { 0 };

  mw_check_result_set (&result, MW_CHECK_STATE_ERROR, sentence, NULL, NULL, NULL);
  slot_finish (self, slot, &result);
  mw_check_result_clear (&result);
}

static Slot *
find_slot (MwPreflight *self,
           MwCheck     *check)
{
  for (guint i = 0; i < self->slots->len; i++)
    if (g_array_index (self->slots, Slot, i).check == check)
      return &g_array_index (self->slots, Slot, i);
  return NULL;
}

/* Running one check */

typedef struct
{
  MwCheckFacts *facts;
  Connections *conns;
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
regather (const MwCheckFacts *old,
          Connections        *conns)
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
  MwCheckContext context = { data->facts, data->conns->sconn, data->conns->dconn,
                             data->timeout_s };
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
  data->spec->run (&context, &outcome->result, cancellable);
  g_task_return_pointer (task, outcome, check_outcome_free);
}

typedef struct
{
  MwPreflight *self;   /* weak: see the weak pointer below */
  MwCheck *check;
  guint generation;
} SlotRef;

static void
slot_ref_free (gpointer data)
{
  SlotRef *ref = data;

  g_clear_weak_pointer (&ref->self);
  g_object_unref (ref->check);
  g_free (ref);
}

static SlotRef *
slot_ref_new (MwPreflight *self,
              Slot        *slot)
{
  SlotRef *ref = g_new0 (SlotRef, 1);

  g_set_weak_pointer (&ref->self, self);
  ref->check = g_object_ref (slot->check);
  ref->generation = slot->generation;
  return ref;
}

static void
on_check_done_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SlotRef *ref = user_data;
  MwPreflight *self = ref->self;
  CheckOutcome *outcome;
  Slot *slot;

  outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  if (self != NULL && (slot = find_slot (self, ref->check)) != NULL
      && slot->generation == ref->generation && slot->running)
    {
      if (outcome->facts != NULL)
        {
          g_clear_pointer (&self->facts, mw_check_facts_unref);
          self->facts = mw_check_facts_ref (outcome->facts);
        }
      slot_finish (self, slot, &outcome->result);
    }
  check_outcome_free (outcome);
  slot_ref_free (ref);
}

static gboolean
on_slot_timeout_cb (gpointer user_data)
{
  SlotRef *ref = user_data;
  MwPreflight *self = ref->self;
  Slot *slot;

  if (self != NULL && (slot = find_slot (self, ref->check)) != NULL
      && slot->generation == ref->generation)
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
start_slot (MwPreflight *self,
            Slot        *slot,
            gboolean     regather)
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

  task = g_task_new (NULL, self->cancellable, on_check_done_cb, slot_ref_new (self, slot));
  g_task_set_source_tag (task, start_slot);
  g_task_set_task_data (task, data, check_data_free);
  g_task_run_in_thread (task, check_thread);

  slot->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, self->timeout_s,
                                                 on_slot_timeout_cb, slot_ref_new (self, slot),
                                                 slot_ref_free);
  update_summary (self);
}

/* After gathering */

static void
start_checks (MwPreflight *self)
{
  g_autoptr(GatherResult) source = g_steal_pointer (&self->gathered_source);
  g_autoptr(GatherResult) dest = g_steal_pointer (&self->gathered_dest);
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
  self->conns = g_atomic_rc_box_new0 (Connections);
  if (source != NULL)
    self->conns->sconn = g_steal_pointer (&source->conn);
  if (dest != NULL)
    self->conns->dconn = g_steal_pointer (&dest->conn);

  for (guint i = 0; i < self->slots->len; i++)
    start_slot (self, &g_array_index (self->slots, Slot, i), FALSE);
  update_summary (self);
}

typedef struct
{
  MwPreflight *self;   /* weak */
  guint generation;
  gboolean is_source;
} GatherRef;

static void
on_gather_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GatherRef *ref = user_data;
  MwPreflight *self = ref->self;
  g_autoptr(GatherResult) gathered = g_task_propagate_pointer (G_TASK (result), NULL);

  if (self != NULL && self->gathering && ref->generation == self->run_generation)
    {
      if (ref->is_source)
        self->gathered_source = g_steal_pointer (&gathered);
      else
        self->gathered_dest = g_steal_pointer (&gathered);
      if (self->gathered_source != NULL && self->gathered_dest != NULL)
        start_checks (self);
    }

  g_clear_weak_pointer (&ref->self);
  g_free (ref);
}

static gboolean
on_gather_timeout_cb (gpointer user_data)
{
  MwPreflight *self = user_data;

  self->gather_timeout_id = 0;
  start_checks (self);
  return G_SOURCE_REMOVE;
}

static void
start_gather (MwPreflight *self,
              const char  *uri,
              const char  *domain,
              gboolean     is_source)
{
  g_autoptr(GTask) task = NULL;
  GatherData *data = g_new0 (GatherData, 1);
  GatherRef *ref = g_new0 (GatherRef, 1);

  data->uri = g_strdup (uri);
  data->domain = g_strdup (domain);
  g_set_weak_pointer (&ref->self, self);
  ref->generation = self->run_generation;
  ref->is_source = is_source;

  task = g_task_new (NULL, self->cancellable, on_gather_done_cb, ref);
  g_task_set_source_tag (task, start_gather);
  g_task_set_task_data (task, data, gather_data_free);
  g_task_run_in_thread (task, gather_thread);
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
      Slot *slot = &g_array_index (self->slots, Slot, i);
      MwCheckResult pending = { MW_CHECK_STATE_RUNNING, NULL, NULL, NULL, NULL };

      slot->generation++;
      slot->running = FALSE;
      mw_check_apply_result (slot->check, &pending);
    }

  start_gather (self, self->source_uri, self->domain, TRUE);
  start_gather (self, self->dest_uri, NULL, FALSE);
  self->gather_timeout_id = g_timeout_add_seconds (self->timeout_s, on_gather_timeout_cb, self);
  update_summary (self);
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
      Slot *slot = &g_array_index (self->slots, Slot, i);

      if (mw_check_get_state (slot->check) == MW_CHECK_STATE_RUNNING)
        slot_finish_error (self, slot, _("The check was cancelled."));
    }
  update_summary (self);
}

void
mw_preflight_rerun_check (MwPreflight *self,
                          MwCheck     *check)
{
  Slot *slot;

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

  if (outcome != NULL)
    check_outcome_free (outcome);

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
  Slot *slot;

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
  update_summary (self);

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

JsonNode *
mw_preflight_to_json (MwPreflight *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));

  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, self->source_uri);
  json_builder_set_member_name (builder, "destination");
  json_builder_add_string_value (builder, self->dest_uri);
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, self->domain);
  json_builder_set_member_name (builder, "running");
  json_builder_add_boolean_value (builder, self->running);
  json_builder_set_member_name (builder, "n_blocking");
  json_builder_add_int_value (builder, self->n_blocking);
  json_builder_set_member_name (builder, "n_warnings");
  json_builder_add_int_value (builder, self->n_warnings);
  json_builder_set_member_name (builder, "n_errors");
  json_builder_add_int_value (builder, self->n_errors);
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, mw_check_get_id (check));
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, mw_check_get_title (check));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, mw_check_state_to_nick (mw_check_get_state (check)));
      json_builder_set_member_name (builder, "sentence");
      json_builder_add_string_value (builder, mw_check_get_sentence (check));
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, mw_check_get_detail (check));
      json_builder_set_member_name (builder, "fix");
      json_builder_add_string_value (builder, mw_check_get_fix (check));
      json_builder_set_member_name (builder, "can_fix");
      json_builder_add_boolean_value (builder, mw_check_get_can_fix (check));
      json_builder_set_member_name (builder, "fix_label");
      json_builder_add_string_value (builder, mw_check_get_fix_label (check));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* GObject */

static void
mw_preflight_dispose (GObject *object)
{
  MwPreflight *self = MW_PREFLIGHT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->gather_timeout_id, g_source_remove);
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    g_clear_handle_id (&g_array_index (self->slots, Slot, i).timeout_id, g_source_remove);
  g_clear_pointer (&self->gathered_source, gather_result_free);
  g_clear_pointer (&self->gathered_dest, gather_result_free);
  g_clear_pointer (&self->facts, mw_check_facts_unref);
  g_clear_pointer (&self->conns, connections_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->checks);

  G_OBJECT_CLASS (mw_preflight_parent_class)->dispose (object);
}

static void
mw_preflight_finalize (GObject *object)
{
  MwPreflight *self = MW_PREFLIGHT (object);

  for (guint i = 0; i < self->slots->len; i++)
    g_object_unref (g_array_index (self->slots, Slot, i).check);
  g_array_unref (self->slots);
  g_free (self->source_uri);
  g_free (self->dest_uri);
  g_free (self->domain);
  mw_migration_options_free (self->options);

  G_OBJECT_CLASS (mw_preflight_parent_class)->finalize (object);
}

static void
mw_preflight_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MwPreflight *self = MW_PREFLIGHT (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URI:
      g_value_set_string (value, self->source_uri);
      break;
    case PROP_DEST_URI:
      g_value_set_string (value, self->dest_uri);
      break;
    case PROP_DOMAIN:
      g_value_set_string (value, self->domain);
      break;
    case PROP_CHECKS:
      g_value_set_object (value, self->checks);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_s);
      break;
    case PROP_LINK_BPS:
      g_value_set_uint64 (value, self->link_bps);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_N_BLOCKING:
      g_value_set_uint (value, self->n_blocking);
      break;
    case PROP_N_WARNINGS:
      g_value_set_uint (value, self->n_warnings);
      break;
    case PROP_N_ERRORS:
      g_value_set_uint (value, self->n_errors);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_preflight_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MwPreflight *self = MW_PREFLIGHT (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URI:
      self->source_uri = g_value_dup_string (value);
      break;
    case PROP_DEST_URI:
      self->dest_uri = g_value_dup_string (value);
      break;
    case PROP_DOMAIN:
      self->domain = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      mw_preflight_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_LINK_BPS:
      mw_preflight_set_link_bps (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_preflight_class_init (MwPreflightClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct =
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mw_preflight_dispose;
  object_class->finalize = mw_preflight_finalize;
  object_class->get_property = mw_preflight_get_property;
  object_class->set_property = mw_preflight_set_property;

  properties[PROP_SOURCE_URI] = g_param_spec_string ("source-uri", NULL, NULL, NULL, construct);
  properties[PROP_DEST_URI] = g_param_spec_string ("dest-uri", NULL, NULL, NULL, construct);
  properties[PROP_DOMAIN] = g_param_spec_string ("domain", NULL, NULL, NULL, construct);
  properties[PROP_CHECKS] = g_param_spec_object ("checks", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_TIMEOUT] = g_param_spec_uint ("timeout", NULL, NULL, 1, 3600,
                                                MW_PREFLIGHT_DEFAULT_TIMEOUT_S, rw);
  properties[PROP_LINK_BPS] = g_param_spec_uint64 ("link-bps", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_N_BLOCKING] = g_param_spec_uint ("n-blocking", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_WARNINGS] = g_param_spec_uint ("n-warnings", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_ERRORS] = g_param_spec_uint ("n-errors", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_preflight_init (MwPreflight *self)
{
  const MwCheckSpec *specs;
  guint n_specs;

  self->timeout_s = MW_PREFLIGHT_DEFAULT_TIMEOUT_S;
  self->checks = g_list_store_new (MW_TYPE_CHECK);
  self->slots = g_array_new (FALSE, TRUE, sizeof (Slot));

  specs = mw_check_specs_get (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      Slot slot = { mw_check_new (specs[i].id, _(specs[i].title)), &specs[i], 0, 0, FALSE };

      g_array_append_val (self->slots, slot);
      g_list_store_append (self->checks, slot.check);
    }
}

MwPreflight *
mw_preflight_new (const char               *source_uri,
                  const char               *dest_uri,
                  const char               *domain,
                  const MwMigrationOptions *options)
{
  MwPreflight *self;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (dest_uri != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  self = g_object_new (MW_TYPE_PREFLIGHT, "source-uri", source_uri, "dest-uri", dest_uri,
                       "domain", domain, NULL);
  self->options = options != NULL ? mw_migration_options_copy (options)
                                  : mw_migration_options_new_defaults ();
  return self;
}

const char *
mw_preflight_get_source_uri (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return self->source_uri;
}

const char *
mw_preflight_get_dest_uri (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return self->dest_uri;
}

const char *
mw_preflight_get_domain (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return self->domain;
}

GListModel *
mw_preflight_get_checks (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return G_LIST_MODEL (self->checks);
}

MwCheck *
mw_preflight_find_check (MwPreflight *self,
                         const char  *id)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);

  for (guint i = 0; i < self->slots->len; i++)
    if (g_str_equal (mw_check_get_id (g_array_index (self->slots, Slot, i).check), id))
      return g_array_index (self->slots, Slot, i).check;
  return NULL;
}

guint
mw_preflight_get_timeout (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->timeout_s;
}

void
mw_preflight_set_timeout (MwPreflight *self,
                          guint        seconds)
{
  g_return_if_fail (MW_IS_PREFLIGHT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout_s == seconds)
    return;
  self->timeout_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint64
mw_preflight_get_link_bps (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->link_bps;
}

void
mw_preflight_set_link_bps (MwPreflight *self,
                           guint64      bytes_per_s)
{
  g_return_if_fail (MW_IS_PREFLIGHT (self));

  if (self->link_bps == bytes_per_s)
    return;
  self->link_bps = bytes_per_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK_BPS]);
}

gboolean
mw_preflight_get_running (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), FALSE);
  return self->running;
}

guint
mw_preflight_get_n_blocking (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->n_blocking;
}

guint
mw_preflight_get_n_warnings (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->n_warnings;
}

guint
mw_preflight_get_n_errors (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->n_errors;
}
