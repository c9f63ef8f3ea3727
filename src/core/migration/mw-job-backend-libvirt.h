/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-backend-libvirt.h: the job's backend on real hosts. It opens its OWN connections to
 * both hosts in a worker (the UI's MwConnections are left alone), runs every libvirt call in a
 * GTask worker with its own references, and turns the source's domain events (iteration,
 * job-completed, lifecycle) and both close callbacks into the backend's signals on the main
 * thread. */
#pragma once

#include "mw-job-backend.h"

G_BEGIN_DECLS

#define MW_TYPE_JOB_BACKEND_LIBVIRT (mw_job_backend_libvirt_get_type ())

G_DECLARE_FINAL_TYPE (MwJobBackendLibvirt, mw_job_backend_libvirt, MW, JOB_BACKEND_LIBVIRT,
                      MwJobBackend)

MwJobBackend *mw_job_backend_libvirt_new (const char *source_uri,
                                          const char *destination_uri);

G_END_DECLS
