/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-sample-history.h: the samples and events of one migration, in time order.
 *
 * A ring buffer of MwJobSample plus a list of events (pass boundaries, post-copy switch, a
 * remedy applied, abort, completion). Main thread only: the job pushes what its workers read,
 * the chart reads it in snapshot(), the report writes it out. Emits `changed` after each push.
 * Times are microseconds relative to the history's start (mw_sample_history_get_start_us).
 */
#pragma once

#include <glib-object.h>

#include "mw-job-sample.h"

G_BEGIN_DECLS

#define MW_SAMPLE_HISTORY_ERROR (mw_sample_history_error_quark ())

typedef enum
{
  MW_SAMPLE_HISTORY_ERROR_HEADER,    /* the first line is not this trace format's header */
  MW_SAMPLE_HISTORY_ERROR_LINE,      /* a later line is malformed; the message names it */
} MwSampleHistoryError;

typedef enum
{
  MW_HISTORY_EVENT_PASS,             /* a new memory pass began; value = pass number */
  MW_HISTORY_EVENT_POSTCOPY,         /* switched to post-copy */
  MW_HISTORY_EVENT_DOWNTIME_CHANGED, /* value = new max downtime, ms */
  MW_HISTORY_EVENT_SPEED_CHANGED,    /* value = new bandwidth, MiB/s (0 = unlimited) */
  MW_HISTORY_EVENT_AUTO_CONVERGE,    /* throttle changed; value = percent */
  MW_HISTORY_EVENT_ABORT_REQUESTED,
  MW_HISTORY_EVENT_COMPLETED,
  MW_HISTORY_EVENT_FAILED,
  MW_HISTORY_EVENT_CANCELLED,
  MW_HISTORY_EVENT_REMEDY,           /* a remedy the user took; its call returned; value =
                                      * the MwRemedy */
} MwHistoryEventKind;

typedef struct
{
  gint64 time_us;                    /* relative to start */
  MwHistoryEventKind kind;
  gint64 value;
  char *text;                        /* optional detail (libvirt's message for a failure) */
} MwHistoryEvent;

#define MW_TYPE_SAMPLE_HISTORY (mw_sample_history_get_type ())

G_DECLARE_FINAL_TYPE (MwSampleHistory, mw_sample_history, MW, SAMPLE_HISTORY, GObject)

GQuark               mw_sample_history_error_quark  (void);

/* capacity: samples kept; the oldest are dropped past it (events are all kept). */
MwSampleHistory     *mw_sample_history_new          (guint              capacity);
void                 mw_sample_history_set_start_us (MwSampleHistory   *self,
                                                     gint64             monotonic_us);
gint64               mw_sample_history_get_start_us (MwSampleHistory   *self);

/* Appends a copy; its time_us is converted to relative time. Adds a PASS event when the
 * iteration number grows, and an AUTO_CONVERGE event when the throttle changes. */
void                 mw_sample_history_push         (MwSampleHistory   *self,
                                                     const MwJobSample *sample);
void                 mw_sample_history_add_event    (MwSampleHistory   *self,
                                                     gint64             monotonic_us,
                                                     MwHistoryEventKind kind,
                                                     gint64             value,
                                                     const char        *text);
void                 mw_sample_history_clear        (MwSampleHistory   *self);
/* A new history with the same capacity, start, samples and events (no PASS or AUTO_CONVERGE
 * event is added). Used to hand a snapshot to a worker thread, which then owns it. */
MwSampleHistory     *mw_sample_history_copy         (MwSampleHistory   *self);

guint                mw_sample_history_get_n_samples (MwSampleHistory  *self);
/* 0 is the oldest kept. The pointer is valid until the next push or clear. */
const MwJobSample   *mw_sample_history_get_sample    (MwSampleHistory  *self,
                                                      guint             index);
const MwJobSample   *mw_sample_history_get_last      (MwSampleHistory  *self);
guint                mw_sample_history_get_n_events  (MwSampleHistory  *self);
const MwHistoryEvent *mw_sample_history_get_event    (MwSampleHistory  *self,
                                                      guint             index);
/* Relative time of the newest sample or event, 0 when empty. */
gint64               mw_sample_history_get_end_us    (MwSampleHistory  *self);
/* The memory passes: the highest of libvirt's iteration figures (samples, the completed job's
 * statistics, its iteration events), 0 when none. The one figure the live page, the result
 * and the report show. */
guint64              mw_sample_history_get_passes    (MwSampleHistory  *self);
/* Largest memory_remaining, dirty_rate_bps and memory_bps among kept samples: the chart's
 * y range. */
guint64              mw_sample_history_get_max_bytes (MwSampleHistory  *self);
guint64              mw_sample_history_get_max_rate  (MwSampleHistory  *self);

/* The trace as CSV: a header line naming the columns, then one line per sample ("sample" in
 * the first column) and per event ("event"), in time order; empty cells for fields a row does
 * not have. */
char                *mw_sample_history_to_csv        (MwSampleHistory  *self);
gboolean             mw_sample_history_save_csv      (MwSampleHistory  *self,
                                                      const char       *path,
                                                      GError          **error);
/* Reads a trace written by mw_sample_history_save_csv () (the recorded lab trace the UI tests
 * replay). A malformed file fails with MW_SAMPLE_HISTORY_ERROR and a message naming the line;
 * an unreadable one with G_FILE_ERROR. */
MwSampleHistory     *mw_sample_history_load_csv      (const char       *path,
                                                      GError          **error);
MwSampleHistory     *mw_sample_history_parse_csv     (const char       *data,
                                                      const char       *name,
                                                      GError          **error);

/* Appends text as one CSV field (RFC 4180: quoted when it holds a comma, quote or line end);
 * nothing for NULL. For every CSV MigWizard writes. */
void mw_csv_append_text (GString    *out,
                         const char *text);

G_END_DECLS
