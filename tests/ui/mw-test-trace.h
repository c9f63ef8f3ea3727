/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-trace.h: a recorded (or synthetic) migration and its pings, for the tests that replay
 * one into the chart or the wizard's live page. */
#pragma once

#include "mw-pinger.h"
#include "mw-sample-history.h"

G_BEGIN_DECLS

#define MIB (1024.0 * 1024.0)

/* The synthetic trace, written to path (test-chart --write-synthetic-trace PATH). */
void             write_synthetic_trace (const char *path);
/* The lab's recorded trace, else the synthetic one. */
MwSampleHistory *load_trace            (void);
/* Ping records for a trace that ends at end_us, as seen at now_us. */
GArray          *make_ping_records     (gint64      end_us,
                                        gint64      now_us);

G_END_DECLS
