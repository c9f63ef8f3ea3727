/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-host.h: what an evacuation asks of a host besides migrations.
 *
 * The libvirt-glib triple: the plain call blocks (workers only), _async runs it in a worker and
 * completes on the caller's main context. Each call opens its own connection
 * (mw_libvirt_open) and closes it before it returns.
 */
#pragma once

#include <gio/gio.h>

#include "mw-evacuation-item.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;
  guint64 memory_kib;    /* current memory (virDomainGetInfo) */
  gboolean running;      /* active: running or paused */
  gboolean paused;       /* active but paused (virDomainGetInfo's state) */
} MwHostGuest;

typedef struct
{
  GPtrArray *guests;     /* MwHostGuest, in libvirt's order; NULL when only memory was asked */
  guint64 free_kib;      /* virNodeGetFreeMemory; where the driver keeps no figure (the test
                          * driver's node files), the node's memory less its running guests' */
} MwHostSurvey;

void          mw_host_survey_free        (MwHostSurvey *survey);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwHostSurvey, mw_host_survey_free)

/* Worker. The host's guests (when with_guests) and its free memory. */
MwHostSurvey *mw_evacuation_survey       (const char    *uri,
                                          gboolean       with_guests,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* Worker. Does action (SHUT_DOWN, MANAGED_SAVE or START) to the guest on uri and checks the
 * result on the host: SHUT_DOWN waits up to timeout_s for it to be shut off. A guest already in
 * the wanted state is left alone. */
gboolean      mw_evacuation_act          (const char         *uri,
                                          const char         *name,
                                          MwEvacuationAction  action,
                                          guint               timeout_s,
                                          GCancellable       *cancellable,
                                          GError            **error);
void          mw_evacuation_act_async    (const char         *uri,
                                          const char         *name,
                                          MwEvacuationAction  action,
                                          guint               timeout_s,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean      mw_evacuation_act_finish   (GAsyncResult       *result,
                                          GError            **error);

G_END_DECLS
