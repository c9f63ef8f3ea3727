/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-page.c: the plan, title and validity every wizard page has, and the vfuncs' defaults.
 * Subclasses chain up in constructed (the plan is set by then). Dispose clears the subclass's
 * template (every page has one) and unparents what is left of the content. */
#include "config.h"

#include "mw-wizard-page.h"

typedef struct
{
  MwMigrationPlan *plan;
  char *title;
  gboolean valid;
} MwWizardPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MwWizardPage, mw_wizard_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PLAN,
  PROP_TITLE,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
mw_wizard_page_new (GType            type,
                    MwMigrationPlan *plan)
{
  g_return_val_if_fail (g_type_is_a (type, MW_TYPE_WIZARD_PAGE), NULL);
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (plan), NULL);

  return g_object_new (type, "plan", plan, NULL);
}

MwMigrationPlan *
mw_wizard_page_get_plan (MwWizardPage *self)
{
  MwWizardPagePrivate *priv = mw_wizard_page_get_instance_private (self);

  g_return_val_if_fail (MW_IS_WIZARD_PAGE (self), NULL);

  return priv->plan;
}

const char *
mw_wizard_page_get_title (MwWizardPage *self)
{
  MwWizardPagePrivate *priv = mw_wizard_page_get_instance_private (self);

  g_return_val_if_fail (MW_IS_WIZARD_PAGE (self), NULL);

  return priv->title;
}

void
mw_wizard_page_set_title (MwWizardPage *self,
                          const char   *title)
{
  MwWizardPagePrivate *priv = mw_wizard_page_get_instance_private (self);

  g_return_if_fail (MW_IS_WIZARD_PAGE (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;

  g_free (priv->title);
  priv->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
mw_wizard_page_get_valid (MwWizardPage *self)
{
  MwWizardPagePrivate *priv = mw_wizard_page_get_instance_private (self);

  g_return_val_if_fail (MW_IS_WIZARD_PAGE (self), FALSE);

  return priv->valid;
}

gboolean
mw_wizard_page_validate (MwWizardPage  *self,
                         char         **reason)
{
  g_autofree char *why = NULL;
  gboolean valid;

  g_return_val_if_fail (MW_IS_WIZARD_PAGE (self), FALSE);

  valid = MW_WIZARD_PAGE_GET_CLASS (self)->validate (self, &why);
  if (reason != NULL)
    *reason = g_steal_pointer (&why);
  return valid;
}

void
mw_wizard_page_commit (MwWizardPage *self)
{
  g_return_if_fail (MW_IS_WIZARD_PAGE (self));

  MW_WIZARD_PAGE_GET_CLASS (self)->commit (self);
}

void
mw_wizard_page_shown (MwWizardPage *self)
{
  g_return_if_fail (MW_IS_WIZARD_PAGE (self));

  MW_WIZARD_PAGE_GET_CLASS (self)->shown (self);
}

void
mw_wizard_page_revalidate (MwWizardPage *self)
{
  MwWizardPagePrivate *priv = mw_wizard_page_get_instance_private (self);
  gboolean valid;

  g_return_if_fail (MW_IS_WIZARD_PAGE (self));

  valid = mw_wizard_page_validate (self, NULL);
  if (valid == priv->valid)
    return;

  priv->valid = valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static gboolean
mw_wizard_page_real_validate (MwWizardPage  *self,
                              char         **reason)
{
  return TRUE;
}

static void
mw_wizard_page_real_nothing (MwWizardPage *self)
{
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
mw_wizard_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MwWizardPage *self = MW_WIZARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      g_value_set_object (value, mw_wizard_page_get_plan (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, mw_wizard_page_get_title (self));
      break;
    case PROP_VALID:
      g_value_set_boolean (value, mw_wizard_page_get_valid (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_wizard_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MwWizardPage *self = MW_WIZARD_PAGE (object);
  MwWizardPagePrivate *priv = mw_wizard_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PLAN:
      priv->plan = g_value_dup_object (value);
      break;
    case PROP_TITLE:
      mw_wizard_page_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_wizard_page_dispose (GObject *object)
{
  MwWizardPage *self = MW_WIZARD_PAGE (object);
  MwWizardPagePrivate *priv = mw_wizard_page_get_instance_private (self);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&priv->plan);

  G_OBJECT_CLASS (mw_wizard_page_parent_class)->dispose (object);
}

static void
mw_wizard_page_finalize (GObject *object)
{
  MwWizardPage *self = MW_WIZARD_PAGE (object);
  MwWizardPagePrivate *priv = mw_wizard_page_get_instance_private (self);

  g_free (priv->title);

  G_OBJECT_CLASS (mw_wizard_page_parent_class)->finalize (object);
}

static void
mw_wizard_page_class_init (MwWizardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mw_wizard_page_get_property;
  object_class->set_property = mw_wizard_page_set_property;
  object_class->dispose = mw_wizard_page_dispose;
  object_class->finalize = mw_wizard_page_finalize;

  klass->validate = mw_wizard_page_real_validate;
  klass->commit = mw_wizard_page_real_nothing;
  klass->shown = mw_wizard_page_real_nothing;

  properties[PROP_PLAN] =
    g_param_spec_object ("plan", NULL, NULL, MW_TYPE_MIGRATION_PLAN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
mw_wizard_page_init (MwWizardPage *self)
{
}
