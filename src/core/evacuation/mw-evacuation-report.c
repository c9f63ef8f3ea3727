/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-report.c: the evacuation's report and bring-back; see mw-evacuation-report.h. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-evacuation-report.h"
#include "mw-json.h"
#include "mw-report.h"
#include "mw-sample-history.h"

G_DEFINE_QUARK (mw-evacuation-report-error-quark, mw_evacuation_report_error)

static gint64
ping_gap_ms (MwEvacuationItem *item)
{
  gint64 gap_us = mw_evacuation_item_get_ping_gap_us (item);

  return gap_us >= 0 ? gap_us / 1000 : -1;
}

/* The per-guest report's file name, next to the JSON: STEM-NAME.json. */
static char *
guest_report_name (const char *stem,
                   const char *name,
                   const char *suffix)
{
  g_autofree char *safe = g_strdup (name);

  g_strdelimit (safe, "/\\", '_');
  return g_strdup_printf ("%s-%s%s", stem, safe, suffix);
}

/* Where the guest was to go: only a guest that migrates goes anywhere. */
static const char *
planned_destination (MwEvacuationItem *item)
{
  return mw_evacuation_item_get_action (item) == MW_EVACUATION_ACTION_MIGRATE
           ? mw_evacuation_item_get_destination (item) : NULL;
}

static void
add_guest (JsonBuilder      *builder,
           MwEvacuationItem *item,
           const char       *report_name)
{
  json_builder_begin_object (builder);
  mw_json_add_string (builder, "name", mw_evacuation_item_get_name (item));
  mw_json_add_string (builder, "from", mw_evacuation_item_get_source_uri (item));
  mw_json_add_string (builder, "to", planned_destination (item));
  mw_json_add_bool (builder, "was_running", mw_evacuation_item_get_was_running (item));
  mw_json_add_int (builder, "memory_kib", (gint64) mw_evacuation_item_get_memory_kib (item));
  mw_json_add_int (builder, "priority", mw_evacuation_item_get_priority (item));
  mw_json_add_string (builder, "group",
                      mw_evacuation_group_to_nick (mw_evacuation_item_get_group (item)));
  mw_json_add_string (builder, "reason", mw_evacuation_item_get_reason (item));
  mw_json_add_string (builder, "action",
              mw_evacuation_action_to_nick (mw_evacuation_item_get_action (item)));
  mw_json_add_string (builder, "state",
                      mw_evacuation_state_to_nick (mw_evacuation_item_get_state (item)));
  mw_json_add_string (builder, "now_on", mw_evacuation_item_get_location (item));
  mw_json_add_bool (builder, "verified", mw_evacuation_item_get_verified (item));
  mw_json_add_optional (builder, "time_ms", mw_evacuation_item_get_time_ms (item));
  mw_json_add_optional (builder, "downtime_ms", mw_evacuation_item_get_downtime_ms (item));
  mw_json_add_optional (builder, "ping_gap_ms", ping_gap_ms (item));
  mw_json_add_string (builder, "message", mw_evacuation_item_get_message (item));
  mw_json_add_string (builder, "ping_address", mw_evacuation_item_get_ping_address (item));
  mw_json_add_string (builder, "report", report_name);
  json_builder_end_object (builder);
}

/* stem: the JSON file's base name without ".json", for the per-guest report names; NULL when
 * none are written. */
static JsonNode *
to_json (MwEvacuation *self,
         const char   *stem)
{
  MwEvacuationPlan *plan = mw_evacuation_get_plan (self);
  GListModel *items = mw_evacuation_plan_get_items (plan);
  const char * const *destinations = mw_evacuation_plan_get_destinations (plan);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *generated = g_date_time_format_iso8601 (now);

  json_builder_begin_object (builder);
  mw_json_add_string (builder, "format", "mig-wizard-evacuation");
  mw_json_add_int (builder, "version", 1);
  mw_json_add_string (builder, "generated", generated);
  mw_json_add_string (builder, "kind", mw_evacuation_plan_get_bring_back (plan) ? "bring-back"
                                                                          : "evacuation");
  mw_json_add_string (builder, "source", mw_evacuation_plan_get_source_uri (plan));
  json_builder_set_member_name (builder, "destinations");
  json_builder_begin_array (builder);
  for (guint i = 0; destinations != NULL && destinations[i] != NULL; i++)
    json_builder_add_string_value (builder, destinations[i]);
  json_builder_end_array (builder);
  mw_json_add_int (builder, "parallel", mw_evacuation_get_parallel (self));
  mw_json_add_int (builder, "bandwidth_mib_s", mw_evacuation_get_bandwidth (self));
  mw_json_add_string (builder, "order",
                      mw_evacuation_order_to_nick (mw_evacuation_plan_get_order (plan)));
  mw_json_add_bool (builder, "stop_on_failure", mw_evacuation_get_stop_on_failure (self));
  mw_json_add_bool (builder, "stopped", mw_evacuation_get_stopped (self));
  mw_json_add_bool (builder, "all_moved", mw_evacuation_get_all_moved (self));
  mw_json_add_int (builder, "total_time_ms", mw_evacuation_get_elapsed_ms (self));
  mw_json_add_int (builder, "max_running", mw_evacuation_get_max_running (self));

  json_builder_set_member_name (builder, "guests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);
      const char *name = mw_evacuation_item_get_name (item);
      g_autofree char *report_name = NULL;

      if (stem != NULL && g_hash_table_contains (mw_evacuation_get_job_reports (self), name))
        report_name = guest_report_name (stem, name, ".json");
      add_guest (builder, item, report_name);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mw_evacuation_to_json (MwEvacuation *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION (self), NULL);
  return to_json (self, NULL);
}

static void
append_int (GString *out,
            gint64   value)
{
  g_string_append_c (out, ',');
  if (value >= 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

char *
mw_evacuation_to_csv (MwEvacuation *self)
{
  GListModel *items;
  GString *out;

  g_return_val_if_fail (MW_IS_EVACUATION (self), NULL);

  items = mw_evacuation_plan_get_items (mw_evacuation_get_plan (self));
  out = g_string_new ("name,from,to,was_running,memory_kib,priority,group,action,state,now_on,"
                      "verified,time_ms,downtime_ms,ping_gap_ms,message\n");
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MwEvacuationItem) item = g_list_model_get_item (items, i);

      mw_csv_append_text (out, mw_evacuation_item_get_name (item));
      g_string_append_c (out, ',');
      mw_csv_append_text (out, mw_evacuation_item_get_source_uri (item));
      g_string_append_c (out, ',');
      mw_csv_append_text (out, planned_destination (item));
      g_string_append_printf (out, ",%s,%" G_GUINT64_FORMAT ",%d,%s,%s,%s,",
                              mw_evacuation_item_get_was_running (item) ? "true" : "false",
                              mw_evacuation_item_get_memory_kib (item),
                              mw_evacuation_item_get_priority (item),
                              mw_evacuation_group_to_nick (mw_evacuation_item_get_group (item)),
                              mw_evacuation_action_to_nick (mw_evacuation_item_get_action (item)),
                              mw_evacuation_state_to_nick (mw_evacuation_item_get_state (item)));
      mw_csv_append_text (out, mw_evacuation_item_get_location (item));
      g_string_append_printf (out, ",%s", mw_evacuation_item_get_verified (item) ? "true"
                                                                                 : "false");
      append_int (out, mw_evacuation_item_get_time_ms (item));
      append_int (out, mw_evacuation_item_get_downtime_ms (item));
      append_int (out, ping_gap_ms (item));
      g_string_append_c (out, ',');
      mw_csv_append_text (out, mw_evacuation_item_get_message (item));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* ---- writing ------------------------------------------------------------------------------- */

typedef struct
{
  GFile *json_file;
  GFile *csv_file;
  char *json;
  char *csv;
  GPtrArray *guest_reports;   /* MwReport */
  GPtrArray *guest_files;     /* GFile: json, csv, json, csv… */
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *write = data;

  g_clear_object (&write->json_file);
  g_clear_object (&write->csv_file);
  g_free (write->json);
  g_free (write->csv);
  g_ptr_array_unref (write->guest_reports);
  g_ptr_array_unref (write->guest_files);
  g_free (write);
}

static gboolean
replace_contents (GFile         *file,
                  const char    *data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return g_file_replace_contents (file, data, strlen (data), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *write = task_data;
  GError *error = NULL;

  for (guint i = 0; i < write->guest_reports->len; i++)
    if (!mw_report_write (g_ptr_array_index (write->guest_reports, i),
                          g_ptr_array_index (write->guest_files, 2 * i),
                          g_ptr_array_index (write->guest_files, 2 * i + 1), cancellable, &error))
      {
        g_task_return_error (task, error);
        return;
      }
  if (!replace_contents (write->json_file, write->json, cancellable, &error)
      || (write->csv_file != NULL && !replace_contents (write->csv_file, write->csv, cancellable,
                                                        &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
mw_evacuation_write_report_async (MwEvacuation        *self,
                                  GFile               *json_file,
                                  GFile               *csv_file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *basename = NULL;
  GHashTableIter iter;
  gpointer name, report;
  WriteData *write;

  g_return_if_fail (MW_IS_EVACUATION (self));
  g_return_if_fail (G_IS_FILE (json_file));

  basename = g_file_get_basename (json_file);
  if (g_str_has_suffix (basename, ".json"))
    basename[strlen (basename) - strlen (".json")] = '\0';
  dir = g_file_get_parent (json_file);

  write = g_new0 (WriteData, 1);
  write->json_file = g_object_ref (json_file);
  write->csv_file = csv_file != NULL ? g_object_ref (csv_file) : NULL;
  write->guest_reports = g_ptr_array_new_with_free_func (g_object_unref);
  write->guest_files = g_ptr_array_new_with_free_func (g_object_unref);
  root = to_json (self, basename);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  write->json = json_generator_to_data (generator, NULL);
  write->csv = mw_evacuation_to_csv (self);

  g_hash_table_iter_init (&iter, mw_evacuation_get_job_reports (self));
  while (g_hash_table_iter_next (&iter, &name, &report))
    {
      g_autofree char *json_name = guest_report_name (basename, name, ".json");
      g_autofree char *csv_name = guest_report_name (basename, name, ".csv");

      g_ptr_array_add (write->guest_reports, g_object_ref (report));
      g_ptr_array_add (write->guest_files, g_file_get_child (dir, json_name));
      g_ptr_array_add (write->guest_files, g_file_get_child (dir, csv_name));
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_evacuation_write_report_async);
  g_task_set_task_data (task, write, write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
mw_evacuation_write_report_finish (MwEvacuation  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == mw_evacuation_write_report_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- bring-back ---------------------------------------------------------------------------- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
           && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
}

MwEvacuationPlan *
mw_evacuation_plan_new_bring_back (JsonNode  *report,
                                   GError   **error)
{
  g_autoptr(MwEvacuationPlan) plan = NULL;
  g_autoptr(GPtrArray) destinations = g_ptr_array_new ();
  JsonObject *root;
  JsonArray *guests;
  guint n = 0;

  g_return_val_if_fail (report != NULL, NULL);

  root = JSON_NODE_HOLDS_OBJECT (report) ? json_node_get_object (report) : NULL;
  if (root == NULL || g_strcmp0 (member_string (root, "format"), "mig-wizard-evacuation") != 0
      || !json_object_has_member (root, "guests")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "guests")))
    {
      g_set_error (error, MW_EVACUATION_REPORT_ERROR, MW_EVACUATION_REPORT_ERROR_INVALID,
                   _("This is not a MigWizard evacuation report."));
      return NULL;
    }
  guests = json_object_get_array_member (root, "guests");

  /* The hosts the guests go back to, for the plan's own record. */
  for (guint i = 0; i < json_array_get_length (guests); i++)
    {
      JsonObject *guest = json_array_get_object_element (guests, i);
      const char *from = guest != NULL ? member_string (guest, "from") : NULL;

      if (from != NULL && !g_ptr_array_find_with_equal_func (destinations, from, g_str_equal,
                                                             NULL))
        g_ptr_array_add (destinations, (gpointer) from);
    }
  g_ptr_array_add (destinations, NULL);
  plan = mw_evacuation_plan_new (NULL, (const char * const *) destinations->pdata);
  mw_evacuation_plan_set_bring_back (plan, TRUE);

  for (guint i = 0; i < json_array_get_length (guests); i++)
    {
      JsonObject *guest = json_array_get_object_element (guests, i);
      g_autoptr(MwEvacuationItem) item = NULL;
      MwEvacuationAction action;
      const char *name, *from, *now_on, *state;
      gboolean was_running;

      if (guest == NULL)
        continue;
      name = member_string (guest, "name");
      from = member_string (guest, "from");
      now_on = member_string (guest, "now_on");
      state = member_string (guest, "state");
      if (name == NULL || from == NULL || g_strcmp0 (state, "done") != 0
          || !mw_evacuation_action_from_nick (member_string (guest, "action"), &action))
        continue;
      was_running = json_object_get_boolean_member_with_default (guest, "was_running", FALSE);

      if (action == MW_EVACUATION_ACTION_MIGRATE && now_on != NULL && g_strcmp0 (now_on, from) != 0)
        {
          item = mw_evacuation_item_new (name, now_on,
                                         json_object_get_int_member_with_default (guest,
                                                                                  "memory_kib", 0),
                                         was_running);
          mw_evacuation_item_set_destination (item, from);
          mw_evacuation_item_set_action (item, MW_EVACUATION_ACTION_MIGRATE);
        }
      /* Started again only if the evacuation stopped it (an older report's guest that was
       * off before has nothing to come back to). */
      else if ((action == MW_EVACUATION_ACTION_SHUT_DOWN
                || action == MW_EVACUATION_ACTION_MANAGED_SAVE) && was_running)
        {
          item = mw_evacuation_item_new (name, from,
                                         json_object_get_int_member_with_default (guest,
                                                                                  "memory_kib", 0),
                                         TRUE);
          mw_evacuation_item_set_action (item, MW_EVACUATION_ACTION_START);
        }
      else
        continue;
      mw_evacuation_item_set_priority (item, json_object_get_int_member_with_default (guest,
                                                                                      "priority",
                                                                                      0));
      mw_evacuation_item_set_ping_address (item, member_string (guest, "ping_address"));
      mw_evacuation_plan_add_item (plan, item);
      n++;
    }

  if (n == 0)
    {
      g_set_error (error, MW_EVACUATION_REPORT_ERROR, MW_EVACUATION_REPORT_ERROR_NOTHING,
                   _("The report names no guest that was moved, shut down or saved: there is "
                     "nothing to bring back."));
      return NULL;
    }
  return g_steal_pointer (&plan);
}

MwEvacuationPlan *
mw_evacuation_plan_new_bring_back_from_file (const char  *path,
                                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (path != NULL, NULL);
  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  return mw_evacuation_plan_new_bring_back (json_parser_get_root (parser), error);
}
