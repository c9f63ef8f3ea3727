/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-rows.h: the rows of the host set-up window's lists: steps run on the hosts, the
 * bridges and libvirt networks of one host, and what the chosen guest's interfaces need.
 * Main thread. */
#pragma once

#include <gtk/gtk.h>

#include "mw-bridge-setup.h"
#include "mw-setup-journal.h"

G_BEGIN_DECLS

void mw_setup_rows_clear         (GtkListBox            *list);
/* A row with an optional icon and subtitle (plain text, up to four lines). */
void mw_setup_rows_add           (GtkListBox            *list,
                                  const char            *icon_name,
                                  const char            *title,
                                  const char            *subtitle);
/* One row per MwSetupStep: "host: title", its state and message; append keeps the rows there. */
void mw_setup_rows_show_steps    (GtkListBox            *list,
                                  GPtrArray             *steps,
                                  gboolean               append);
/* A host's bridges and libvirt networks, marking those the guest's interfaces (nics) name:
 * "used by the guest" on the host the guest is defined on (guest_here), "the guest needs it
 * here" on the other; title gets the host's label. */
void mw_setup_rows_show_networks (GtkListBox            *list,
                                  GtkLabel              *title,
                                  const MwHostNetworks  *networks,
                                  GPtrArray             *nics,
                                  gboolean               guest_here);
/* Each of the guest's interfaces and whether both hosts provide what it is plugged into;
 * domain_chosen says which placeholder shows when it has none. */
void mw_setup_rows_show_guest    (GtkListBox            *list,
                                  const MwNetworkSurvey *survey,
                                  gboolean               domain_chosen);

G_END_DECLS
