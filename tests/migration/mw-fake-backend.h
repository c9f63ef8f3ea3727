/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-fake-backend.h: a scripted MwJobBackend for the job's unit tests. Every call the job makes
 * is recorded and stays pending until the test answers it (samples are answered at once with
 * the sample set by the test); events are sent when the test says so. No host, no thread. */
#pragma once

#include "mw-job-backend.h"

G_BEGIN_DECLS

typedef enum
{
  MW_FAKE_PREPARE,
  MW_FAKE_MIGRATE,
  MW_FAKE_SAMPLE,
  MW_FAKE_ACT,
  MW_FAKE_VERIFY,
  MW_FAKE_REMOVE_VOLUMES,
  MW_FAKE_REOPEN,
  MW_FAKE_N_KINDS
} MwFakeKind;

typedef struct
{
  MwFakeKind kind;
  MwJobAction action;          /* ACT */
  guint64 value;               /* ACT */
  char *dest_uri;              /* MIGRATE */
  MwMigrationOptions *options; /* PREPARE, MIGRATE: a copy of what the job passed */
  gboolean migration_started;  /* VERIFY */
  gboolean call_succeeded;     /* VERIFY */
  gboolean source;             /* REOPEN: the hosts asked for */
  gboolean destination;        /* REOPEN */
  GTask *task;
} MwFakeCall;

#define MW_TYPE_FAKE_BACKEND (mw_fake_backend_get_type ())

G_DECLARE_FINAL_TYPE (MwFakeBackend, mw_fake_backend, MW, FAKE_BACKEND, MwJobBackend)

MwFakeBackend *mw_fake_backend_new            (void);

/* Samples are answered at once with this (NULL: with an error, as a host that does not answer). */
void           mw_fake_backend_set_sample     (MwFakeBackend     *self,
                                               const MwJobSample *sample);
/* Sample calls stay unanswered until released (a host slower than the sample interval); release
 * answers each held one with the sample set above and says how many there were. */
void           mw_fake_backend_hold_samples   (MwFakeBackend     *self);
guint          mw_fake_backend_release_samples (MwFakeBackend    *self);
/* How many calls of a kind the job made so far. */
guint          mw_fake_backend_count          (MwFakeBackend     *self,
                                               MwFakeKind         kind);
/* Runs the main loop until a call of that kind is pending (fails the test after 5 s) and
 * takes it out of the pending list; the test answers it with one of the functions below. */
MwFakeCall    *mw_fake_backend_wait           (MwFakeBackend     *self,
                                               MwFakeKind         kind);
/* Puts a call taken with wait () back, for a later wait () to take. */
void           mw_fake_backend_requeue        (MwFakeBackend     *self,
                                               MwFakeCall        *call);
/* Is a call of that kind pending right now? */
gboolean       mw_fake_backend_has_pending    (MwFakeBackend     *self,
                                               MwFakeKind         kind);
/* Answers and frees the call: success (error NULL) or the error (taken). PREPARE succeeds with
 * canonical name "guest" and the number of volumes set below. */
void           mw_fake_backend_reply          (MwFakeBackend     *self,
                                               MwFakeCall        *call,
                                               GError            *error);
void           mw_fake_backend_reply_findings (MwFakeBackend          *self,
                                               MwFakeCall             *call,
                                               const MwVerifyFindings *findings);
void           mw_fake_backend_set_created_volumes (MwFakeBackend *self,
                                                    guint          n);
/* The destination's libvirt that PREPARE and REOPEN report (0, the default: not known). A
 * REOPEN answered with success says it reopened every host it was asked for. */
void           mw_fake_backend_set_destination_libvirt (MwFakeBackend *self,
                                                        gulong         version);
/* Has release been called? */
gboolean       mw_fake_backend_get_released   (MwFakeBackend     *self);

G_END_DECLS
