/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The directory where a GPU's render nodes appear. */
#define MW_DRI_DIR "/dev/dri"

/* TRUE when OpenGL could only be Mesa's software rasteriser: LIBGL_ALWAYS_SOFTWARE is set, or
 * dri_dir holds no render node (renderD*) this user may open. Looks at names and permissions
 * only: no GL library is loaded and no context is created. */
gboolean mw_application_gl_is_software  (const char *dri_dir);

/* Call before GTK initialises. When GL would be software (see above) and the user chose
 * nothing, draws with cairo without GL at all: sets GSK_RENDERER=cairo and adds gl-disable to
 * GDK_DEBUG. A GSK_RENDERER other than cairo, or a GDK_DEBUG naming a gl- key, is the user's
 * choice and is left alone. TRUE when it changed the environment. */
gboolean mw_application_choose_renderer (const char *dri_dir);

G_END_DECLS
