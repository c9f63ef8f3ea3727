/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-wizard.h: the migration wizard on the shipped demo nodes, opened from the main window,
 * for test-wizard.c (its pages) and test-wizard-result.c (its live and result pages). */
#pragma once

#include <adwaita.h>

#include "mw-application.h"
#include "mw-migration-wizard.h"
#include "mw-test-ui.h"
#include "mw-window.h"

G_BEGIN_DECLS

#define UNREACHABLE_URI "qemu+ssh://root@nowhere.invalid/system"

typedef struct
{
  MwApplication *app;
  MwWindow *window;
  MwConnection *hosta;
  MwConnection *hostb;
  MwConnection *offline;
  MwMigrationWizard *wizard;
} Fixture;

/* The app with both demo nodes connected and a saved host that is not (UNREACHABLE_URI). */
void               fixture_set_up     (Fixture           *fixture,
                                       gconstpointer      data);
void               fixture_tear_down  (Fixture           *fixture,
                                       gconstpointer      data);
/* The wizard for hosta's web01, width × height. */
MwMigrationWizard *open_wizard        (Fixture           *fixture,
                                       int                width,
                                       int                height);
/* The first row of that type with that title. */
GtkWidget         *find_row           (MwMigrationWizard *wizard,
                                       GType              type,
                                       const char        *title);
/* For mw_test_find_widget: an actionable widget whose action is data ("wizard.migrate"). */
gboolean           has_action_name    (GtkWidget         *widget,
                                       gpointer           data);
/* The first button for that action ("wizard.migrate"). */
GtkWidget         *find_button        (MwMigrationWizard *wizard,
                                       const char        *action);
gboolean           button_usable      (MwMigrationWizard *wizard,
                                       const char        *action);
/* A screenshot of the wizard as name.png. */
void               shot               (MwMigrationWizard *wizard,
                                       const char        *name);
/* hostb, chosen as a click on its row does. */
void               choose_destination (Fixture           *fixture);
/* For mw_test_wait_until: the wizard (data) can migrate. */
gboolean           migrate_usable     (gpointer           data);
/* The start of each wizard test program's main: GTK, libadwaita, no animations, libvirt. */
void               mw_test_wizard_init (int              *argc,
                                        char           ***argv);

G_END_DECLS
