/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OOMLENS_OOMLENS_H
#define OOMLENS_OOMLENS_H

#include "root.h"
#include "parse.h"
#include "sysinfo.h"
#include "badness.h"
#include "proc.h"
#include "cgroup.h"
#include "kube.h"
#include "strutil.h"
#include "users.h"
#include "memcg.h"
#include "model.h"
#include "kmsg.h"
#include "oomlog.h"
#include "logsrc.h"
#include "logtime.h"
#include "snapshot.h"
#include "audit.h"

#endif
