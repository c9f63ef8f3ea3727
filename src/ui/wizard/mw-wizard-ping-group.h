/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-ping-group.h: "Ping the Guest" on the wizard's options page: the guest's address,
 * asked of libvirt or typed in, written into the plan's `ping-address` (NULL unless it is an
 * IPv4 or IPv6 address), with a description that says what will be pinged. */
#pragma once

#include <adwaita.h>

#include "mw-migration-plan.h"

G_BEGIN_DECLS

#define MW_TYPE_WIZARD_PING_GROUP (mw_wizard_ping_group_get_type ())

G_DECLARE_FINAL_TYPE (MwWizardPingGroup, mw_wizard_ping_group, MW, WIZARD_PING_GROUP,
                      AdwPreferencesGroup)

MwMigrationPlan *mw_wizard_ping_group_get_plan (MwWizardPingGroup *self);
/* Once, by the page that holds the group. */
void             mw_wizard_ping_group_set_plan (MwWizardPingGroup *self,
                                                MwMigrationPlan   *plan);

/* Asks libvirt for the running guest's address, unless the user typed one or it was asked for
 * this destination already. Fills the entry when found. */
void             mw_wizard_ping_group_discover (MwWizardPingGroup *self);

G_END_DECLS
