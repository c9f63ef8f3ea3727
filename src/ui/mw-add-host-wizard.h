/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-add-host-wizard.h: add a remote host over SSH, from its address to a saved connection.
 *
 * Pages (GtkStack, names in `page`): host → host-key (or changed, a dead end) → key →
 * password (only when the key is not authorised yet) → test → done. "busy" shows a spinner while
 * a worker runs. TLS and TCP skip the SSH pages and only test libvirt.
 *
 * An MwConnectionAdder: `connections`, `uri` and connection-added come from there.
 */
#pragma once

#include <adwaita.h>

#include "mw-connection-adder.h"
#include "mw-ssh.h"

G_BEGIN_DECLS

#define MW_TYPE_ADD_HOST_WIZARD (mw_add_host_wizard_get_type ())

G_DECLARE_FINAL_TYPE (MwAddHostWizard, mw_add_host_wizard, MW, ADD_HOST_WIZARD, MwConnectionAdder)

/* context: where OpenSSH's files are, NULL for the user's own (~/.ssh). */
MwAddHostWizard *mw_add_host_wizard_new             (GtkWindow               *parent,
                                                     MwConnectionList        *connections,
                                                     const MwSshContext      *context);
/* The visible page's name. */
const char      *mw_add_host_wizard_get_page        (MwAddHostWizard         *self);
/* The URI the Host page describes, or NULL while the input is not valid. */
const char      *mw_add_host_wizard_get_uri         (MwAddHostWizard         *self);
/* The message under the Host page's fields, or NULL. */
const char      *mw_add_host_wizard_get_message     (MwAddHostWizard         *self);
/* Shows the outcome of a host-key check (what the wizard's own check calls; tests use it with
 * keys in hand): check for NEW or KNOWN_SAME, or error (CHANGED goes to the dead-end page). */
void             mw_add_host_wizard_show_host_key   (MwAddHostWizard         *self,
                                                     const MwSshHostKeyCheck *check,
                                                     const GError            *error);

G_END_DECLS
