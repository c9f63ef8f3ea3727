/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check.c: one pre-flight check and what it found. Main thread only. */

#include "config.h"

#include "mw-check.h"
#include "mw-core-enums.h"

struct _MwCheck
{
  GObject parent_instance;

  /* Owned */
  char *id;
  char *title;
  MwCheckState state;
  char *sentence;
  char *detail;
  char *fix;
  char *fix_label;
  MwForecast *forecast;
};

G_DEFINE_FINAL_TYPE (MwCheck, mw_check, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_STATE,
  PROP_SENTENCE,
  PROP_DETAIL,
  PROP_FIX,
  PROP_FIX_LABEL,
  PROP_CAN_FIX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
mw_check_result_clear (MwCheckResult *result)
{
  g_clear_pointer (&result->sentence, g_free);
  g_clear_pointer (&result->detail, g_free);
  g_clear_pointer (&result->fix, g_free);
  g_clear_pointer (&result->fix_label, g_free);
  g_clear_pointer (&result->forecast, mw_forecast_free);
  result->state = MW_CHECK_STATE_PENDING;
}

void
mw_check_result_set (MwCheckResult *result,
                     MwCheckState   state,
                     const char    *sentence,
                     const char    *detail,
                     const char    *fix,
                     const char    *fix_label)
{
  /* The arguments may point into result's own strings. */
  char *new_sentence = g_strdup (sentence);
  char *new_detail = g_strdup (detail);
  char *new_fix = g_strdup (fix);
  char *new_fix_label = g_strdup (fix_label);

  mw_check_result_clear (result);
  result->state = state;
  result->sentence = new_sentence;
  result->detail = new_detail;
  result->fix = new_fix;
  result->fix_label = new_fix_label;
}

const char *
mw_check_state_to_nick (MwCheckState state)
{
  switch (state)
    {
    case MW_CHECK_STATE_PENDING:
      return "pending";
    case MW_CHECK_STATE_RUNNING:
      return "running";
    case MW_CHECK_STATE_PASSED:
      return "passed";
    case MW_CHECK_STATE_WARNING:
      return "warning";
    case MW_CHECK_STATE_BLOCKING:
      return "blocking";
    case MW_CHECK_STATE_ERROR:
      return "error";
    default:
      g_return_val_if_reached ("error");
    }
}

static void
mw_check_finalize (GObject *object)
{
  MwCheck *self = MW_CHECK (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->sentence);
  g_free (self->detail);
  g_free (self->fix);
  g_free (self->fix_label);
  g_clear_pointer (&self->forecast, mw_forecast_free);

  G_OBJECT_CLASS (mw_check_parent_class)->finalize (object);
}

static void
mw_check_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MwCheck *self = MW_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SENTENCE:
      g_value_set_string (value, self->sentence);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_FIX:
      g_value_set_string (value, self->fix);
      break;
    case PROP_FIX_LABEL:
      g_value_set_string (value, self->fix_label);
      break;
    case PROP_CAN_FIX:
      g_value_set_boolean (value, mw_check_get_can_fix (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_check_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  MwCheck *self = MW_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_check_class_init (MwCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct =
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mw_check_finalize;
  object_class->get_property = mw_check_get_property;
  object_class->set_property = mw_check_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, construct);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, MW_TYPE_CHECK_STATE,
                                              MW_CHECK_STATE_PENDING, flags);
  properties[PROP_SENTENCE] = g_param_spec_string ("sentence", NULL, NULL, NULL, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  properties[PROP_FIX] = g_param_spec_string ("fix", NULL, NULL, NULL, flags);
  properties[PROP_FIX_LABEL] = g_param_spec_string ("fix-label", NULL, NULL, NULL, flags);
  properties[PROP_CAN_FIX] = g_param_spec_boolean ("can-fix", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_check_init (MwCheck *self)
{
}

MwCheck *
mw_check_new (const char *id,
              const char *title)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (MW_TYPE_CHECK, "id", id, "title", title, NULL);
}

const char *
mw_check_get_id (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), NULL);
  return self->id;
}

const char *
mw_check_get_title (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), NULL);
  return self->title;
}

MwCheckState
mw_check_get_state (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), MW_CHECK_STATE_ERROR);
  return self->state;
}

const char *
mw_check_get_sentence (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), NULL);
  return self->sentence;
}

const char *
mw_check_get_detail (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), NULL);
  return self->detail;
}

const char *
mw_check_get_fix (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), NULL);
  return self->fix;
}

const char *
mw_check_get_fix_label (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), NULL);
  return self->fix_label;
}

const MwForecast *
mw_check_get_forecast (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), NULL);
  return self->forecast;
}

gboolean
mw_check_get_can_fix (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), FALSE);
  return self->fix_label != NULL;
}

gboolean
mw_check_is_done (MwCheck *self)
{
  g_return_val_if_fail (MW_IS_CHECK (self), FALSE);
  return self->state >= MW_CHECK_STATE_PASSED;
}

void
mw_check_set_state (MwCheck      *self,
                    MwCheckState  state)
{
  g_return_if_fail (MW_IS_CHECK (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_string (MwCheck     *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
mw_check_apply_result (MwCheck             *self,
                       const MwCheckResult *result)
{
  gboolean could_fix;

  g_return_if_fail (MW_IS_CHECK (self));
  g_return_if_fail (result != NULL);

  could_fix = mw_check_get_can_fix (self);

  /* Texts first, so a handler of notify::state reads the new ones. */
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->sentence, result->sentence, PROP_SENTENCE);
  set_string (self, &self->detail, result->detail, PROP_DETAIL);
  set_string (self, &self->fix, result->fix, PROP_FIX);
  set_string (self, &self->fix_label, result->fix_label, PROP_FIX_LABEL);
  g_clear_pointer (&self->forecast, mw_forecast_free);
  if (result->forecast != NULL)
    self->forecast = mw_forecast_copy (result->forecast);
  if (could_fix != mw_check_get_can_fix (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_FIX]);
  mw_check_set_state (self, result->state);
  g_object_thaw_notify (G_OBJECT (self));
}
