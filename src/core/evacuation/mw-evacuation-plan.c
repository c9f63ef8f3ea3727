/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-plan.c: the plan of an evacuation; see mw-evacuation-plan.h.
 *
 * Main thread, except survey_thread, which gets copies of the URIs and hands back surveys. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-core-enums.h"
#include "mw-evacuation-host.h"
#include "mw-evacuation-plan.h"

struct _MwEvacuationPlan
{
  GObject parent_instance;

  /* Owned */
  char *source_uri;
  GStrv destinations;
  GListStore *items;
  MwMigrationOptions *options;
  GHashTable *priorities;          /* name → GINT_TO_POINTER (priority) */
  GHashTable *addresses;           /* name → ping address */
  GHashTable *actions;             /* name → GINT_TO_POINTER (action), chosen for that guest */
  GCancellable *cancellable;       /* of the current run */
  MwPreflightHosts *hosts;         /* the hosts' facts, gathered once for every guest's checks */
  GError *error;

  MwEvacuationPlanState state;
  MwEvacuationOrder order;
  MwEvacuationAction cannot_move_action;
  guint max_checks;
  guint n_checked;
  guint next_check;                /* index of the next item to check */
  guint n_checking;
  guint check_idle_id;             /* check_next () again, from the main loop */
  gboolean bring_back;
};

G_DEFINE_FINAL_TYPE (MwEvacuationPlan, mw_evacuation_plan, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SOURCE_URI,
  PROP_ITEMS,
  PROP_STATE,
  PROP_N_CHECKED,
  PROP_ORDER,
  PROP_MAX_CHECKS,
  PROP_CANNOT_MOVE_ACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void check_next              (MwEvacuationPlan *self);
static void schedule_check_next     (MwEvacuationPlan *self);
static void on_preflight_running_cb (MwPreflight      *preflight,
                                     GParamSpec       *pspec,
                                     MwEvacuationItem *item);

static void
set_state (MwEvacuationPlan     *self,
           MwEvacuationPlanState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
mw_evacuation_plan_dispose (GObject *object)
{
  MwEvacuationPlan *self = MW_EVACUATION_PLAN (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->check_idle_id, g_source_remove);
  if (self->items != NULL)
    {
      /* Stop the checks still running, and listening to them. */
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
        {
          g_autoptr(MwEvacuationItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
          MwPreflight *preflight = mw_evacuation_item_get_preflight (item);

          if (preflight != NULL
              && g_signal_handlers_disconnect_by_func (preflight, on_preflight_running_cb,
                                                       item) > 0)
            mw_preflight_cancel (preflight);
        }
    }
  g_clear_object (&self->items);
  g_clear_object (&self->hosts);
  G_OBJECT_CLASS (mw_evacuation_plan_parent_class)->dispose (object);
}

static void
mw_evacuation_plan_finalize (GObject *object)
{
  MwEvacuationPlan *self = MW_EVACUATION_PLAN (object);

  g_free (self->source_uri);
  g_strfreev (self->destinations);
  g_clear_pointer (&self->options, mw_migration_options_free);
  g_clear_pointer (&self->priorities, g_hash_table_unref);
  g_clear_pointer (&self->addresses, g_hash_table_unref);
  g_clear_pointer (&self->actions, g_hash_table_unref);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (mw_evacuation_plan_parent_class)->finalize (object);
}

static void
mw_evacuation_plan_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MwEvacuationPlan *self = MW_EVACUATION_PLAN (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URI:
      g_value_set_string (value, self->source_uri);
      break;
    case PROP_ITEMS:
      g_value_set_object (value, self->items);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_N_CHECKED:
      g_value_set_uint (value, self->n_checked);
      break;
    case PROP_ORDER:
      g_value_set_enum (value, self->order);
      break;
    case PROP_MAX_CHECKS:
      g_value_set_uint (value, self->max_checks);
      break;
    case PROP_CANNOT_MOVE_ACTION:
      g_value_set_enum (value, self->cannot_move_action);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_plan_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MwEvacuationPlan *self = MW_EVACUATION_PLAN (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URI:
      self->source_uri = g_value_dup_string (value);
      break;
    case PROP_ORDER:
      mw_evacuation_plan_set_order (self, g_value_get_enum (value));
      break;
    case PROP_MAX_CHECKS:
      mw_evacuation_plan_set_max_checks (self, g_value_get_uint (value));
      break;
    case PROP_CANNOT_MOVE_ACTION:
      mw_evacuation_plan_set_cannot_move_action (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_plan_class_init (MwEvacuationPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mw_evacuation_plan_dispose;
  object_class->finalize = mw_evacuation_plan_finalize;
  object_class->get_property = mw_evacuation_plan_get_property;
  object_class->set_property = mw_evacuation_plan_set_property;

  properties[PROP_SOURCE_URI] =
    g_param_spec_string ("source-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEMS] = g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MW_TYPE_EVACUATION_PLAN_STATE,
                       MW_EVACUATION_PLAN_STATE_IDLE, ro);
  properties[PROP_N_CHECKED] =
    g_param_spec_uint ("n-checked", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_ORDER] =
    g_param_spec_enum ("order", NULL, NULL, MW_TYPE_EVACUATION_ORDER,
                       MW_EVACUATION_ORDER_PRIORITY, rw);
  properties[PROP_MAX_CHECKS] =
    g_param_spec_uint ("max-checks", NULL, NULL, 1, 64, MW_EVACUATION_PLAN_DEFAULT_MAX_CHECKS,
                       rw);
  properties[PROP_CANNOT_MOVE_ACTION] =
    g_param_spec_enum ("cannot-move-action", NULL, NULL, MW_TYPE_EVACUATION_ACTION,
                       MW_EVACUATION_ACTION_LEAVE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_evacuation_plan_init (MwEvacuationPlan *self)
{
  self->items = g_list_store_new (MW_TYPE_EVACUATION_ITEM);
  self->priorities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->max_checks = MW_EVACUATION_PLAN_DEFAULT_MAX_CHECKS;
  self->cannot_move_action = MW_EVACUATION_ACTION_LEAVE;
  self->options = mw_migration_options_new_defaults ();
}

MwEvacuationPlan *
mw_evacuation_plan_new (const char         *source_uri,
                        const char * const *destinations)
{
  MwEvacuationPlan *self = g_object_new (MW_TYPE_EVACUATION_PLAN, "source-uri", source_uri,
                                         NULL);

  self->destinations = g_strdupv ((char **) destinations);
  return self;
}

const char *
mw_evacuation_plan_get_source_uri (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), NULL);
  return self->source_uri;
}

const char * const *
mw_evacuation_plan_get_destinations (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), NULL);
  return (const char * const *) self->destinations;
}

GListModel *
mw_evacuation_plan_get_items (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), NULL);
  return G_LIST_MODEL (self->items);
}

MwEvacuationPlanState
mw_evacuation_plan_get_state (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), MW_EVACUATION_PLAN_STATE_FAILED);
  return self->state;
}

const GError *
mw_evacuation_plan_get_error (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), NULL);
  return self->error;
}

guint
mw_evacuation_plan_get_n_checked (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), 0);
  return self->n_checked;
}

gboolean
mw_evacuation_plan_get_bring_back (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), FALSE);
  return self->bring_back;
}

void
mw_evacuation_plan_set_bring_back (MwEvacuationPlan *self,
                                   gboolean          bring_back)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  self->bring_back = bring_back;
}

MwEvacuationOrder
mw_evacuation_plan_get_order (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), MW_EVACUATION_ORDER_PRIORITY);
  return self->order;
}

void
mw_evacuation_plan_set_order (MwEvacuationPlan *self,
                              MwEvacuationOrder order)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  if (self->order == order)
    return;
  self->order = order;
  mw_evacuation_plan_sort (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
}

void
mw_evacuation_plan_sort (MwEvacuationPlan *self)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  g_list_store_sort (self->items, mw_evacuation_compare_items, GINT_TO_POINTER (self->order));
}

guint
mw_evacuation_plan_get_max_checks (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), 1);
  return self->max_checks;
}

void
mw_evacuation_plan_set_max_checks (MwEvacuationPlan *self,
                                   guint             max_checks)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  max_checks = MAX (max_checks, 1);
  if (self->max_checks == max_checks)
    return;
  self->max_checks = max_checks;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CHECKS]);
}

const MwMigrationOptions *
mw_evacuation_plan_get_options (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), NULL);
  return self->options;
}

void
mw_evacuation_plan_set_options (MwEvacuationPlan         *self,
                                const MwMigrationOptions *options)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  g_clear_pointer (&self->options, mw_migration_options_free);
  self->options = options != NULL ? mw_migration_options_copy (options)
                                  : mw_migration_options_new_defaults ();
}

MwMigrationOptions *
mw_evacuation_plan_options_for (MwEvacuationPlan *self,
                                MwEvacuationItem *item)
{
  MwMigrationOptions *options = mw_migration_options_copy (self->options);

  if (!mw_evacuation_item_get_was_running (item))
    {
      /* Only the definition moves; what offline refuses is switched off. */
      options->mode = MW_MIGRATION_MODE_OFFLINE;
      options->persistence = MW_MIGRATION_PERSISTENCE_MOVE;
      options->storage = MW_MIGRATION_STORAGE_SHARED;
      options->postcopy = FALSE;
      options->postcopy_after_s = 0;
      options->auto_converge = FALSE;
      options->compression = MW_MIGRATION_COMPRESSION_NONE;
      options->max_downtime_ms = 0;
      options->bandwidth_mib_s = 0;
    }
  return options;
}

/* A guest that is not running is left as it is: there is nothing to shut down or save, and
 * Bring Back would start a guest that was off. */
static MwEvacuationAction
action_for_state (MwEvacuationItem   *item,
                  MwEvacuationAction  action)
{
  if (!mw_evacuation_item_get_was_running (item)
      && (action == MW_EVACUATION_ACTION_SHUT_DOWN || action == MW_EVACUATION_ACTION_MANAGED_SAVE))
    return MW_EVACUATION_ACTION_LEAVE;
  return action;
}

MwEvacuationAction
mw_evacuation_plan_get_cannot_move_action (MwEvacuationPlan *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), MW_EVACUATION_ACTION_LEAVE);
  return self->cannot_move_action;
}

void
mw_evacuation_plan_set_cannot_move_action (MwEvacuationPlan  *self,
                                           MwEvacuationAction action)
{
  GListModel *items;

  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  g_return_if_fail (action == MW_EVACUATION_ACTION_SHUT_DOWN
                    || action == MW_EVACUATION_ACTION_MANAGED_SAVE
                    || action == MW_EVACUATION_ACTION_LEAVE);
  if (self->cannot_move_action == action)
    return;
  self->cannot_move_action = action;

  items = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      if (mw_evacuation_item_get_group (item) == MW_EVACUATION_GROUP_CANNOT_MOVE
          && !mw_evacuation_plan_get_action_for (self, mw_evacuation_item_get_name (item), NULL))
        mw_evacuation_item_set_action (item, action_for_state (item, action));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANNOT_MOVE_ACTION]);
}

void
mw_evacuation_plan_set_priority_for (MwEvacuationPlan *self,
                                     const char       *name,
                                     int               priority)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  g_return_if_fail (name != NULL);
  g_hash_table_replace (self->priorities, g_strdup (name), GINT_TO_POINTER (priority));
}

/* The action a guest gets once its group is known: the one chosen for it, else (when it
 * cannot move) the plan's; MIGRATE is never given to a guest that cannot move. */
static void
apply_action (MwEvacuationPlan *self,
              MwEvacuationItem *item)
{
  MwEvacuationGroup group = mw_evacuation_item_get_group (item);
  MwEvacuationAction chosen;

  if (group == MW_EVACUATION_GROUP_UNCHECKED)
    return;
  if (!mw_evacuation_plan_get_action_for (self, mw_evacuation_item_get_name (item), &chosen)
      || (chosen == MW_EVACUATION_ACTION_MIGRATE && group == MW_EVACUATION_GROUP_CANNOT_MOVE))
    chosen = group == MW_EVACUATION_GROUP_CANNOT_MOVE ? self->cannot_move_action
                                                      : MW_EVACUATION_ACTION_MIGRATE;
  mw_evacuation_item_set_action (item, action_for_state (item, chosen));
}

void
mw_evacuation_plan_set_action_for (MwEvacuationPlan  *self,
                                   const char        *name,
                                   MwEvacuationAction action)
{
  GListModel *items;

  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (action == MW_EVACUATION_ACTION_MIGRATE
                    || action == MW_EVACUATION_ACTION_SHUT_DOWN
                    || action == MW_EVACUATION_ACTION_MANAGED_SAVE
                    || action == MW_EVACUATION_ACTION_LEAVE);
  g_hash_table_replace (self->actions, g_strdup (name), GINT_TO_POINTER (action));

  items = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      if (g_str_equal (mw_evacuation_item_get_name (item), name)
          && mw_evacuation_item_get_action (item) != MW_EVACUATION_ACTION_START)
        apply_action (self, item);
    }
}

gboolean
mw_evacuation_plan_get_action_for (MwEvacuationPlan   *self,
                                   const char         *name,
                                   MwEvacuationAction *action)
{
  gpointer value;

  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  if (!g_hash_table_lookup_extended (self->actions, name, NULL, &value))
    return FALSE;
  if (action != NULL)
    *action = GPOINTER_TO_INT (value);
  return TRUE;
}

void
mw_evacuation_plan_set_address_for (MwEvacuationPlan *self,
                                    const char       *name,
                                    const char       *address)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  g_return_if_fail (name != NULL && address != NULL);
  g_hash_table_replace (self->addresses, g_strdup (name), g_strdup (address));
}

void
mw_evacuation_plan_add_item (MwEvacuationPlan *self,
                             MwEvacuationItem *item)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  g_return_if_fail (MW_IS_EVACUATION_ITEM (item));
  g_return_if_fail (self->state == MW_EVACUATION_PLAN_STATE_IDLE);
  g_list_store_append (self->items, item);
}

guint
mw_evacuation_plan_count_group (MwEvacuationPlan *self,
                                MwEvacuationGroup group)
{
  GListModel *items;
  guint n = 0;

  g_return_val_if_fail (MW_IS_EVACUATION_PLAN (self), 0);
  items = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      n += mw_evacuation_item_get_group (item) == group;
    }
  return n;
}

/* ---- checking ------------------------------------------------------------------------------ */

/* The sentences of the checks in state, one "Title: sentence" a line; NULL when none. */
static char *
collect_sentences (MwPreflight  *preflight,
                   MwCheckState  state,
                   MwCheckState  also)
{
  GListModel *checks = mw_preflight_get_checks (preflight);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (checks, i);
      MwCheckState s = mw_check_get_state (check);

      if (s != state && s != also)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s: %s", mw_check_get_title (check),
                              mw_check_get_sentence (check));
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static void
classify (MwEvacuationPlan *self,
          MwEvacuationItem *item)
{
  MwPreflight *preflight = mw_evacuation_item_get_preflight (item);
  g_autofree char *reason = NULL;

  if (mw_preflight_get_n_blocking (preflight) > 0)
    {
      reason = collect_sentences (preflight, MW_CHECK_STATE_BLOCKING, MW_CHECK_STATE_BLOCKING);
      mw_evacuation_item_set_group (item, MW_EVACUATION_GROUP_CANNOT_MOVE, reason);
    }
  else if (mw_preflight_get_n_warnings (preflight) > 0 || mw_preflight_get_n_errors (preflight) > 0)
    {
      reason = collect_sentences (preflight, MW_CHECK_STATE_WARNING, MW_CHECK_STATE_ERROR);
      mw_evacuation_item_set_group (item, MW_EVACUATION_GROUP_NEEDS_DECISION, reason);
    }
  else
    mw_evacuation_item_set_group (item, MW_EVACUATION_GROUP_READY, NULL);
  apply_action (self, item);
}

static void
on_preflight_running_cb (MwPreflight      *preflight,
                         GParamSpec       *pspec,
                         MwEvacuationItem *item)
{
  MwEvacuationPlan *self = g_object_get_data (G_OBJECT (item), "mw-evacuation-plan");

  if (mw_preflight_get_running (preflight))
    return;
  g_signal_handlers_disconnect_by_func (preflight, on_preflight_running_cb, item);
  classify (self, item);
  self->n_checking--;
  self->n_checked++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHECKED]);
  schedule_check_next (self);
}

/* At most max_checks pre-flights start per call, and an answer starts the next ones from the
 * main loop: pre-flights that answer at once (a guest the source does not have, a host that
 * failed for every guest) would otherwise chain through all the guests in one go. */
static void
check_next (MwEvacuationPlan *self)
{
  GListModel *items = G_LIST_MODEL (self->items);
  guint n = g_list_model_get_n_items (items);
  guint started = 0;

  if (self->state != MW_EVACUATION_PLAN_STATE_CHECKING)
    return;
  while (self->n_checking < self->max_checks && self->next_check < n
         && started < self->max_checks)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, self->next_check++);
      g_autoptr(MwPreflight) preflight = NULL;
      g_autoptr(MwMigrationOptions) options = NULL;

      if (mw_evacuation_item_get_action (item) == MW_EVACUATION_ACTION_START)
        {
          /* Started where it is: nothing moves, nothing to check. */
          mw_evacuation_item_set_group (item, MW_EVACUATION_GROUP_READY, NULL);
          self->n_checked++;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHECKED]);
          continue;
        }
      options = mw_evacuation_plan_options_for (self, item);
      preflight = mw_preflight_new (mw_evacuation_item_get_source_uri (item),
                                    mw_evacuation_item_get_destination (item),
                                    mw_evacuation_item_get_name (item), options);
      mw_preflight_set_hosts (preflight, self->hosts);
      mw_evacuation_item_set_preflight (item, preflight);
      /* The item does not own the plan; the plan disconnects in dispose. */
      g_object_set_data (G_OBJECT (item), "mw-evacuation-plan", self);
      self->n_checking++;
      started++;
      g_signal_connect (preflight, "notify::running", G_CALLBACK (on_preflight_running_cb), item);
      mw_preflight_run (preflight);
    }
  if (started == self->max_checks && self->next_check < n)
    schedule_check_next (self);
  else if (self->n_checking == 0 && self->next_check >= n)
    set_state (self, MW_EVACUATION_PLAN_STATE_READY);
}

static gboolean
on_check_idle_cb (gpointer user_data)
{
  MwEvacuationPlan *self = user_data;

  self->check_idle_id = 0;
  check_next (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_check_next (MwEvacuationPlan *self)
{
  if (self->check_idle_id == 0)
    self->check_idle_id = g_idle_add (on_check_idle_cb, self);
}

/* ---- surveying ----------------------------------------------------------------------------- */

typedef struct
{
  char *source_uri;
  GStrv destinations;
  MwHostSurvey *source;
  GArray *free_kib;        /* guint64 per destination */
} SurveyData;

static void
survey_data_free (gpointer data)
{
  SurveyData *survey = data;

  g_free (survey->source_uri);
  g_strfreev (survey->destinations);
  g_clear_pointer (&survey->source, mw_host_survey_free);
  g_clear_pointer (&survey->free_kib, g_array_unref);
  g_free (survey);
}

static void
survey_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SurveyData *survey = task_data;
  GError *error = NULL;

  survey->source = mw_evacuation_survey (survey->source_uri, TRUE, cancellable, &error);
  if (survey->source == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  survey->free_kib = g_array_new (FALSE, TRUE, sizeof (guint64));
  for (guint i = 0; survey->destinations[i] != NULL; i++)
    {
      g_autoptr(MwHostSurvey) dest = NULL;

      dest = mw_evacuation_survey (survey->destinations[i], FALSE, cancellable, &error);
      if (dest == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_array_append_val (survey->free_kib, dest->free_kib);
    }
  g_task_return_boolean (task, TRUE);
}

/* g_ptr_array_sort_with_data hands over pointers to the elements. */
static int
compare_item_pointers (gconstpointer a,
                       gconstpointer b,
                       gpointer      order)
{
  return mw_evacuation_compare_items (*(gconstpointer *) a, *(gconstpointer *) b, order);
}

static void
on_survey_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MwEvacuationPlan) self = user_data;
  SurveyData *survey = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      set_state (self, MW_EVACUATION_PLAN_STATE_FAILED);
      return;
    }

  for (guint i = 0; i < survey->source->guests->len; i++)
    {
      MwHostGuest *guest = g_ptr_array_index (survey->source->guests, i);
      MwEvacuationItem *item = mw_evacuation_item_new (guest->name, self->source_uri,
                                                       guest->memory_kib, guest->running);
      gpointer priority;

      mw_evacuation_item_set_was_paused (item, guest->paused);
      if (g_hash_table_lookup_extended (self->priorities, guest->name, NULL, &priority))
        mw_evacuation_item_set_priority (item, GPOINTER_TO_INT (priority));
      mw_evacuation_item_set_ping_address (item, g_hash_table_lookup (self->addresses,
                                                                      guest->name));
      g_ptr_array_add (items, item);
    }
  mw_evacuation_spread (items, (const char * const *) self->destinations,
                        (const guint64 *) (gpointer) survey->free_kib->data);
  g_ptr_array_sort_with_data (items, compare_item_pointers, GINT_TO_POINTER (self->order));
  g_list_store_splice (self->items, 0, 0, items->pdata, items->len);

  set_state (self, MW_EVACUATION_PLAN_STATE_CHECKING);
  check_next (self);
}

void
mw_evacuation_plan_run (MwEvacuationPlan *self)
{
  g_autoptr(GTask) task = NULL;
  SurveyData *survey;

  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  g_return_if_fail (self->state == MW_EVACUATION_PLAN_STATE_IDLE);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->hosts);
  self->hosts = mw_preflight_hosts_new ();

  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) > 0 || self->source_uri == NULL)
    {
      mw_evacuation_plan_sort (self);
      set_state (self, MW_EVACUATION_PLAN_STATE_CHECKING);
      check_next (self);
      return;
    }

  g_return_if_fail (self->destinations != NULL && self->destinations[0] != NULL);
  set_state (self, MW_EVACUATION_PLAN_STATE_SURVEYING);
  survey = g_new0 (SurveyData, 1);
  survey->source_uri = g_strdup (self->source_uri);
  survey->destinations = g_strdupv (self->destinations);
  task = g_task_new (NULL, self->cancellable, on_survey_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, mw_evacuation_plan_run);
  g_task_set_task_data (task, survey, survey_data_free);
  g_task_run_in_thread (task, survey_thread);
}

void
mw_evacuation_plan_cancel (MwEvacuationPlan *self)
{
  g_return_if_fail (MW_IS_EVACUATION_PLAN (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->state == MW_EVACUATION_PLAN_STATE_CHECKING)
    {
      GListModel *items = G_LIST_MODEL (self->items);
      guint n = g_list_model_get_n_items (items);

      /* No more checks start; the running ones still answer into their items. What was not
       * checked is not moved. */
      for (guint i = self->next_check; i < n; i++)
        {
          g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

          if (mw_evacuation_item_get_action (item) == MW_EVACUATION_ACTION_MIGRATE)
            mw_evacuation_item_set_action (item, MW_EVACUATION_ACTION_LEAVE);
        }
      self->next_check = n;
      if (self->n_checking == 0)
        set_state (self, MW_EVACUATION_PLAN_STATE_READY);
    }
  else if (self->state == MW_EVACUATION_PLAN_STATE_SURVEYING)
    set_state (self, MW_EVACUATION_PLAN_STATE_IDLE);
}
