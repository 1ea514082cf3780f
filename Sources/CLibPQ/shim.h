// libpq, PostgreSQL's own client library (Debian libpq-dev, pkg-config libpq).
#ifndef FIREDRILL_CLIBPQ_SHIM_H
#define FIREDRILL_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
