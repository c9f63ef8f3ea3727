/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-add-host-wizard-private.h: what mw-add-host-wizard.c (the pages up to the key) and
 * mw-add-host-tests.c (the Test page) share. */
#pragma once

#include "mw-add-host-wizard.h"

G_BEGIN_DECLS

struct _MwAddHostWizard
{
  MwConnectionAdder parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton *next_button;
  GtkButton *back_button;
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwEntryRow *address_row;
  AdwComboRow *hypervisor_row;
  AdwComboRow *transport_row;
  GtkLabel *message_label;
  GtkLabel *uri_label;
  AdwStatusPage *busy_page;
  GtkSpinner *busy_spinner;
  AdwActionRow *key_type_row;
  GtkLabel *fingerprint_label;
  AdwPreferencesGroup *other_keys_group;
  GtkLabel *other_keys_label;
  AdwPreferencesGroup *host_key_group;
  GtkLabel *changed_label;
  AdwPreferencesGroup *key_group;
  AdwActionRow *existing_key_row;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *passphrase_confirm_row;
  AdwPreferencesGroup *password_group;
  AdwPasswordEntryRow *password_row;
  GtkSwitch *remember_switch;
  GtkStack *login_state;
  GtkSpinner *login_spinner;
  AdwActionRow *login_row;
  GtkStack *libvirt_state;
  GtkSpinner *libvirt_spinner;
  AdwActionRow *libvirt_row;
  AdwActionRow *versions_row;
  AdwPreferencesGroup *p2p_group;
  AdwStatusPage *done_page;

  /* Owned */
  MwSshContext *context;
  GCancellable *cancellable;
  MwSshTarget *target;
  MwSshHostKey *host_key;     /* the key shown for confirmation */
  char *public_key;           /* the user's public key file, once known */
  GPtrArray *p2p_rows;        /* rows added to p2p_group, one per peer */
  gboolean test_passed;
  gboolean keyring_asked;     /* the keyring was asked for this login's password once */
};

/* mw-add-host-wizard.c */
void        mw_add_host_wizard_show_page     (MwAddHostWizard *self,
                                              const char      *name);
MwTransport mw_add_host_wizard_get_transport (MwAddHostWizard *self);

/* mw-add-host-tests.c: logs in (SSH only), asks libvirt for its versions, then checks the
 * peer-to-peer paths to the other hosts; a failed step offers to run them again. */
void        mw_add_host_wizard_run_tests     (MwAddHostWizard *self);
/* Sets up peer-to-peer from the new host to peer, whose host key the user confirmed, showing
 * how it goes on row (a row of the Test page): what the confirmation's "Set Up" does. */
void        mw_add_host_wizard_setup_p2p     (MwAddHostWizard    *self,
                                              AdwActionRow       *row,
                                              const MwSshTarget  *peer,
                                              const MwSshHostKey *peer_key);

G_END_DECLS
