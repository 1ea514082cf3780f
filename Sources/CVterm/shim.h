// libvterm (Debian libvterm-dev, pkg-config vterm).
#ifndef FIREDRILL_CVTERM_SHIM_H
#define FIREDRILL_CVTERM_SHIM_H
#include <vterm.h>
#endif
