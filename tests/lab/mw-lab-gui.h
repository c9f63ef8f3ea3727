/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-lab-gui.h: what the lab's window programs (test-lab-gui, test-lab-gui-evacuate) share: the
 * real window started as the app starts it, both lab hosts added and connected as the Add
 * Connection dialog does, one key=value line per shown fact, widgets found as a user sees them,
 * and the lab's own command run at a moment of the test. */
#pragma once

#include <adwaita.h>

#include "mw-application.h"
#include "mw-window.h"

G_BEGIN_DECLS

#define MW_LAB_A_URI "qemu+ssh://root@hosta/system"
#define MW_LAB_B_URI "qemu+ssh://root@hostb/system"

typedef struct
{
  MwApplication *app;
  MwWindow *window;
  MwConnection *a;                    /* hosta */
  MwConnection *b;                    /* hostb */
} MwLabGui;

/* libvirt, GTK and libadwaita set up; screenshots go to outdir. Call first in main (). */
void     mw_lab_gui_init         (const char      *outdir);
/* The main window presented (1100×760), hosta and hostb added and connected, and waited for
 * until both are connected and every guest of names runs on on_a ? hosta : hostb (60 s). Fails
 * the program with a sentence otherwise. */
void     mw_lab_gui_start        (MwLabGui        *gui,
                                  gboolean         on_a,
                                  const char *const *names);
/* The window destroyed, the references dropped. */
void     mw_lab_gui_stop         (MwLabGui        *gui);

/* key=value on standard output, newlines folded, flushed: what the lab's shell script reads. */
void     mw_lab_say              (const char      *key,
                                  const char      *value);

/* For mw_test_find_widget (): an AdwPreferencesRow shown with the title data. */
gboolean mw_lab_row_titled       (GtkWidget       *widget,
                                  gpointer         data);
/* For mw_test_find_widget (): an actionable widget shown with the action name data. */
gboolean mw_lab_has_action_name  (GtkWidget       *widget,
                                  gpointer         data);
/* The shown, sensitive button of action under root, or NULL. */
GtkWidget *mw_lab_usable_button  (GtkWidget       *root,
                                  const char      *action);

typedef enum
{
  MW_LAB_HOOK_BLOCKING,               /* the main loop waits too (nothing moves meanwhile) */
  MW_LAB_HOOK_LOOPING,                /* the main loop runs meanwhile (keepalives, redraws) */
} MwLabHookWait;

/* A test harness, not the product: the command in the environment variable name (the lab's
 * own, as the shell script wrote it) run with sh -c and waited for. FALSE when it failed; TRUE
 * when it succeeded or name is not set (*ran says which, may be NULL). */
gboolean mw_lab_run_hook         (const char      *name,
                                  MwLabHookWait    wait,
                                  gboolean        *ran);

G_END_DECLS
