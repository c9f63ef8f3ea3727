/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-window-private.h: what mw-window.c, mw-window-actions.c and mw-window-domain-list.c
 * share. */
#pragma once

#include "mw-window.h"

G_BEGIN_DECLS

struct _MwWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkWidget *sidebar;
  GtkListBox *sidebar_list;
  GtkWidget *content;
  AdwWindowTitle *content_title;
  GtkToggleButton *search_button;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkStack *content_stack;
  GtkColumnView *domain_view;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *state_column;
  GtkColumnViewColumn *vcpus_column;
  GtkColumnViewColumn *memory_column;
  GtkColumnViewColumn *connection_column;
  AdwStatusPage *status_page;
  GtkButton *status_button;
  GtkSpinner *connecting_spinner;
  GtkLabel *connecting_label;
  GtkWidget *connecting_cancel;
  GtkWidget *migrate_button;
  GtkMenuButton *power_button;
  GMenuModel *lifecycle_section;
  GMenuModel *pause_section;

  /* Owned */
  GSettings *settings;
  GCancellable *cancellable;          /* cancelled when the window goes */
  GListModel *all_domains;            /* flatten of every connection's domains */
  GtkStringFilter *name_filter;
  GtkFilterListModel *filter_model;
  GtkSortListModel *sort_model;
  GtkSingleSelection *selection;
  MwConnection *selected;             /* NULL: all connections */
  gulong selected_state_id;
  gulong selected_error_id;
  guint bench_expect;                 /* MW_BENCH_EXPECT: print a line once this many are drawn */
  gulong bench_paint_id;
  gboolean bench_done;
  GtkWidget *domain_menu;             /* context menu of the domain rows, parented to the view */
  MwDomain *watched_domain;           /* the selected one, whose state enables the actions */
  gulong watched_state_id;
  MwConnection *pending_from;         /* --migrate: waiting for both ends to connect */
  MwConnection *pending_to;
  char *pending_domain;
  GHashTable *attempts;               /* MwConnection → GCancellable: the connects it started */
  GHashTable *notes;                  /* MwConnection → MwWindowNote: why it is not connected */
  GHashTable *reconnect_toasts;       /* MwConnection → AdwToast, up or waiting its turn */

  /* Borrowed */
  MwConnectionList *connections;
  GtkWidget *menu_state_label;        /* in domain_menu: what the domain's state allows */
  GtkWidget *power_state_label;       /* the same in power_button's menu */
  AdwToast *outcome_toast;            /* weak: the last life-cycle action's toast */
};

/* Why a connection is not connected, when it has no error message of its own. */
typedef enum
{
  MW_WINDOW_NOTE_NONE,
  MW_WINDOW_NOTE_CANCELLED,           /* its connect was cancelled */
  MW_WINDOW_NOTE_DECLINED,            /* the credentials dialog was answered with Cancel */
} MwWindowNote;

/* mw-window.c: the content side follows the selection, its state and the filter. */
void               mw_window_update_content       (MwWindow           *self);

/* mw-window-connect.c: each connect the window starts can be cancelled (win.cancel-connect,
 * removing the connection, closing the window), which withdraws its credentials dialog; why a
 * connection ended up not connected; one Reconnect toast per lost connection. */
void               mw_window_class_init_connect   (GtkWidgetClass     *widget_class);
void               mw_window_init_connect         (MwWindow           *self);
void               mw_window_dispose_connect      (MwWindow           *self);
/* Follows connection's "lost" and state, for the toasts and notes. */
void               mw_window_watch_connection     (MwWindow           *self,
                                                   MwConnection       *connection);
/* Drops what it kept for connections that left the list. */
void               mw_window_forget_removed_connections (MwWindow     *self);
MwWindowNote       mw_window_get_note             (MwWindow           *self,
                                                   MwConnection       *connection);
gboolean           mw_window_can_cancel_connect   (MwWindow           *self,
                                                   MwConnection       *connection);
void               mw_window_cancel_connect       (MwWindow           *self,
                                                   MwConnection       *connection);
void               mw_window_cancel_connects      (MwWindow           *self);

/* mw-window-actions.c: installs win.* and their keyboard shortcuts. */
void               mw_window_class_init_actions   (GtkWidgetClass     *widget_class);

/* mw-window-domain-actions.c: win.domain-start, …-shutdown, …-reboot, …-force-off (after a
 * confirmation), …-pause, …-resume on the selected domain, enabled by its state; failures as
 * toasts with libvirt's words under Details. */
void               mw_window_class_init_domain_actions (GtkWidgetClass *widget_class);
/* Follows the selected domain: enables its actions and says in the menus what its state
 * allows. */
void               mw_window_update_domain_actions (MwWindow          *self);
GtkWidget         *mw_window_new_state_label      (void);
/* How long a Shut Down may go unheeded (the domain still running, its state unchanged) before
 * the window says so; 60 s unless a test changes it. */
void               mw_window_set_shutdown_patience (guint             milliseconds);
/* After a Shut Down request libvirt took: once the patience is over, says so if domain still
 * runs with its state unchanged (a test calls it to stand for a guest that ignores it). */
void               mw_window_watch_shutdown       (MwWindow          *self,
                                                   MwDomain          *domain);

/* mw-window-domain-list.c: the domain list's models (all_domains to selection) and columns,
 * and its context menu. */
void               mw_window_setup_domain_list    (MwWindow           *self);
void               mw_window_setup_domain_menu    (MwWindow           *self);
/* The settings sort-by and sort-descending (the Sort menu, Ctrl+1/2, a click on a column's
 * header) sort the list; needs self->settings. */
void               mw_window_setup_sorting        (MwWindow           *self);
/* What a click on column's header does: the same column again reverses the order, another
 * one sorts by it, ascending. */
void               mw_window_sort_by_header       (MwWindow           *self,
                                                   GtkColumnViewColumn *column);
MwDomain          *mw_window_get_selected_domain  (MwWindow           *self);
void               mw_window_popup_domain_menu    (MwWindow           *self,
                                                   const GdkRectangle *rect);
GtkWidget         *mw_window_find_cell_child      (GtkWidget          *root,
                                                   guint               position);

G_END_DECLS
