/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-sample-history-private.h: what the ring buffer (mw-sample-history.c) and its CSV form
 * (mw-sample-history-csv.c) share. */
#pragma once

#include "mw-sample-history.h"

G_BEGIN_DECLS

struct _MwSampleHistory
{
  GObject parent_instance;

  /* Owned */
  MwJobSample *samples;     /* capacity slots, a ring */
  GArray *events;           /* MwHistoryEvent, text owned */

  guint capacity;
  guint head;               /* index of the oldest kept sample */
  guint n_samples;
  gint64 start_us;          /* monotonic time relative times count from */
  gboolean start_set;       /* FALSE until set_start_us or the first push/event */
  gint64 end_us;            /* newest relative time seen */
  guint64 last_iteration;   /* for PASS events; not reset when old samples are dropped */
  guint last_throttle;      /* for AUTO_CONVERGE events */
};

/* Stores a sample whose time is already relative: no PASS or AUTO_CONVERGE event is derived, no
 * signal is emitted. */
void mw_sample_history_append_sample (MwSampleHistory   *self,
                                      const MwJobSample *sample);

G_END_DECLS
