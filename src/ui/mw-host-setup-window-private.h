/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-host-setup-window-private.h: what mw-host-setup-window.c (the pages' actions) and
 * mw-host-setup-hosts.c (the choice of hosts and guest) share. */
#pragma once

#include "mw-bridge-setup.h"
#include "mw-connection.h"
#include "mw-host-setup-window.h"
#include "mw-storage-setup.h"

G_BEGIN_DECLS

struct _MwHostSetupWindow
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwViewStack *view_stack;
  GtkDropDown *host_a_dropdown;
  GtkDropDown *host_b_dropdown;
  GtkDropDown *domain_dropdown;
  AdwEntryRow *server_row;
  AdwEntryRow *export_row;
  AdwEntryRow *network_row;
  AdwEntryRow *pool_row;
  AdwEntryRow *target_row;
  GtkLabel *plan_label;
  GtkLabel *plan_warning_label;     /* the plan's risks, hidden when it has none */
  GtkLabel *storage_status_label;
  GtkListBox *storage_steps;
  GtkLabel *network_status_label;
  GtkLabel *host_a_title;
  GtkLabel *host_b_title;
  GtkListBox *host_a_list;
  GtkListBox *host_b_list;
  GtkListBox *domain_list;
  GtkDropDown *bridge_host_dropdown;
  AdwEntryRow *bridge_name_row;
  AdwEntryRow *bridge_nic_row;
  GtkSpinButton *bridge_timeout_spin;
  AdwEntryRow *network_name_row;

  /* Owned */
  GCancellable *cancellable;        /* cancelled when the window goes */
  GPtrArray *hosts;                 /* MwConnection, the connected ones when opened */
  GtkStringList *host_names;
  GtkStringList *domain_names;      /* "(none)" first */
  MwNfsPlan *plan;                  /* NULL while the fields are not valid */
  MwBridgeChange *change;           /* a bridge waiting for "Keep" */
  guint countdown_id;
  gboolean busy;
  gboolean network_stale;           /* the Network page does not show the chosen hosts yet */
  MwNetworkSurvey *survey;          /* what the Network page shows, or NULL */
  char *initial_domain;

  /* Borrowed */
  MwConnectionList *connections;
  AdwMessageDialog *confirm_dialog; /* while a change is pending */
};

/* mw-host-setup-window.c */
void          mw_host_setup_window_update_actions   (MwHostSetupWindow *self);
/* One operation at a time: TRUE while a worker (or a question between two) runs. */
void          mw_host_setup_window_set_busy         (MwHostSetupWindow *self,
                                                     gboolean           busy);
/* A worker is done: FALSE when the window is going (drop the result), else no longer busy. */
gboolean      mw_host_setup_window_end_work         (MwHostSetupWindow *self);
/* A dialog asking before a change: Cancel, or response (suggested); callback gets the window.
 * The caller adds the body and presents it. */
AdwMessageDialog *mw_host_setup_window_consent_dialog_new (MwHostSetupWindow *self,
                                                           const char        *heading,
                                                           const char        *response,
                                                           const char        *response_label,
                                                           GCallback          callback);
/* The hosts or the guest changed: the Network page reads them again when it is shown. */
void          mw_host_setup_window_hosts_changed    (MwHostSetupWindow *self);

/* mw-host-setup-hosts.c: binds the template callbacks of the host and guest drop-downs. */
void          mw_host_setup_window_class_init_hosts (GtkWidgetClass    *widget_class);
/* Fills the drop-downs with the connected hosts, once, from new (). */
void          mw_host_setup_window_fill_hosts       (MwHostSetupWindow *self);
/* The URI of the host dropdown (host_a_dropdown or host_b_dropdown) picks, or NULL. */
const char   *mw_host_setup_window_host_uri         (MwHostSetupWindow *self,
                                                     GtkDropDown       *dropdown);
/* Two different hosts are chosen. */
gboolean      mw_host_setup_window_hosts_chosen     (MwHostSetupWindow *self);
/* The chosen guest's name, or NULL for none. */
const char   *mw_host_setup_window_get_domain       (MwHostSetupWindow *self);

/* mw-host-setup-server.c: setup.apply-server, the NFS server over ssh, its host key confirmed
 * first. */
void          mw_host_setup_window_class_init_server (GtkWidgetClass   *widget_class);

G_END_DECLS
