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
  GtkWidget *migrate_button;

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
  MwConnection *pending_from;         /* --migrate: waiting for both ends to connect */
  MwConnection *pending_to;
  char *pending_domain;

  /* Borrowed */
  MwConnectionList *connections;
};

/* mw-window-actions.c: installs win.* and their keyboard shortcuts. */
void               mw_window_class_init_actions   (GtkWidgetClass     *widget_class);

/* mw-window-domain-list.c: the domain list's models (all_domains to selection) and columns,
 * and its context menu. */
void               mw_window_setup_domain_list    (MwWindow           *self);
void               mw_window_setup_domain_menu    (MwWindow           *self);
MwDomain          *mw_window_get_selected_domain  (MwWindow           *self);
void               mw_window_popup_domain_menu    (MwWindow           *self,
                                                   const GdkRectangle *rect);
GtkWidget         *mw_window_find_cell_child      (GtkWidget          *root,
                                                   guint               position);

G_END_DECLS
