/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection-adder.c: what the Add Connection dialog and the Add Host wizard share: the
 * list they add to, the URI, the message under the fields, and adding. */
#include "config.h"

#include "mw-connection-adder.h"

typedef struct
{
  /* Owned */
  MwConnectionList *connections;
  char *uri;
  char *message;

  /* Borrowed: the subclass's template child */
  GtkLabel *message_label;
} MwConnectionAdderPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (MwConnectionAdder, mw_connection_adder, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTIONS,
  PROP_URI,
  N_PROPS
};

enum {
  CONNECTION_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

MwConnectionList *
mw_connection_adder_get_connections (MwConnectionAdder *self)
{
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  g_return_val_if_fail (MW_IS_CONNECTION_ADDER (self), NULL);

  return priv->connections;
}

const char *
mw_connection_adder_get_uri (MwConnectionAdder *self)
{
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  g_return_val_if_fail (MW_IS_CONNECTION_ADDER (self), NULL);

  return priv->uri;
}

const char *
mw_connection_adder_get_message (MwConnectionAdder *self)
{
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  g_return_val_if_fail (MW_IS_CONNECTION_ADDER (self), NULL);

  return priv->message;
}

void
mw_connection_adder_set_message_label (MwConnectionAdder *self,
                                       GtkLabel          *label)
{
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  g_return_if_fail (MW_IS_CONNECTION_ADDER (self));
  g_return_if_fail (GTK_IS_LABEL (label));

  priv->message_label = label;
}

void
mw_connection_adder_take_uri (MwConnectionAdder *self,
                              char              *uri)
{
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  g_return_if_fail (MW_IS_CONNECTION_ADDER (self));

  g_free (priv->uri);
  priv->uri = uri;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}

void
mw_connection_adder_set_message (MwConnectionAdder *self,
                                 const char        *message,
                                 const char        *style)
{
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);
  GtkWidget *label = GTK_WIDGET (priv->message_label);

  g_return_if_fail (MW_IS_CONNECTION_ADDER (self));
  g_return_if_fail (priv->message_label != NULL);

  g_free (priv->message);
  priv->message = g_strdup (message);

  gtk_label_set_text (priv->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "dim-label");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
}

gboolean
mw_connection_adder_add_uri (MwConnectionAdder  *self,
                             const char         *uri,
                             gboolean            autoconnect,
                             GError            **error)
{
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);
  MwConnection *connection;

  g_return_val_if_fail (MW_IS_CONNECTION_ADDER (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  connection = mw_connection_list_add (priv->connections, uri, autoconnect, TRUE, error);
  if (connection == NULL)
    return FALSE;

  g_signal_emit (self, signals[CONNECTION_ADDED], 0, connection);

  return TRUE;
}

gboolean
mw_connection_adder_add (MwConnectionAdder  *self,
                         gboolean            autoconnect,
                         GError            **error)
{
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  g_return_val_if_fail (MW_IS_CONNECTION_ADDER (self), FALSE);
  g_return_val_if_fail (priv->uri != NULL, FALSE);

  if (!mw_connection_adder_add_uri (self, priv->uri, autoconnect, error))
    return FALSE;
  gtk_window_close (GTK_WINDOW (self));

  return TRUE;
}

static void
mw_connection_adder_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MwConnectionAdder *self = MW_CONNECTION_ADDER (object);
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      g_value_set_object (value, priv->connections);
      break;
    case PROP_URI:
      g_value_set_string (value, priv->uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_connection_adder_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MwConnectionAdder *self = MW_CONNECTION_ADDER (object);
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      priv->connections = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_connection_adder_dispose (GObject *object)
{
  MwConnectionAdder *self = MW_CONNECTION_ADDER (object);
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  priv->message_label = NULL;
  g_clear_object (&priv->connections);

  G_OBJECT_CLASS (mw_connection_adder_parent_class)->dispose (object);
}

static void
mw_connection_adder_finalize (GObject *object)
{
  MwConnectionAdder *self = MW_CONNECTION_ADDER (object);
  MwConnectionAdderPrivate *priv = mw_connection_adder_get_instance_private (self);

  g_free (priv->uri);
  g_free (priv->message);

  G_OBJECT_CLASS (mw_connection_adder_parent_class)->finalize (object);
}

static void
mw_connection_adder_class_init (MwConnectionAdderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_connection_adder_dispose;
  object_class->finalize = mw_connection_adder_finalize;
  object_class->get_property = mw_connection_adder_get_property;
  object_class->set_property = mw_connection_adder_set_property;

  properties[PROP_CONNECTIONS] =
    g_param_spec_object ("connections", NULL, NULL, MW_TYPE_CONNECTION_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONNECTION_ADDED] =
    g_signal_new ("connection-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, MW_TYPE_CONNECTION);
}

static void
mw_connection_adder_init (MwConnectionAdder *self)
{
}
