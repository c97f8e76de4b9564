/* What cs_open checks of its arguments, for a caller that opens the
 * analyzer later (a call looking for an upmix first). */
#ifndef CS_ANALYZER_CONFIG_H
#define CS_ANALYZER_CONFIG_H

#include "callscope/analyzer.h"

/* CS_OK, or the error cs_open would give: CS_ERATE, CS_ECHANNELS,
 * CS_EINVAL, CS_EPROFILE. */
int analyzer_check_config(const cs_config *cfg, const cs_profile *prof);

#endif
