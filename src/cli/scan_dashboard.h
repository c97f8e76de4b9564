/*
 * The scan's dashboard, OUT/index.html: one self-contained page (no
 * network; a Content-Security-Policy allows only its own style and script)
 * for the reviewer of a batch scan, made from the summary (a scan's own or a
 * merge of shards'):
 *
 *   header     recordings, hours, errors, the mean score, role warnings
 *   agents     a scorecard per agent: calls, mean score and calm, flags per
 *              hour by kind, the mean score per date as a small chart
 *   flags      each kind: flags, calls with one, flags per hour
 *   calls      one row per recording, linking to its reports, sortable by
 *              any column and filterable by text, agent, flag kind and
 *              status (assets/dashboard.js)
 *
 * The summary is read twice, once for the totals and once for the rows, so
 * the page costs a small entry per agent and date, never a report.
 *
 * What the tests read: table#calls, a th per column with data-key and
 * data-type (num or text) holding a link, a tbody tr per recording with
 * data-agent, data-kinds, data-status and data-role; the page sets
 * data-ready on <html> once its script ran, data-script-error on an error.
 */
#ifndef CS_CLI_SCAN_DASHBOARD_H
#define CS_CLI_SCAN_DASHBOARD_H

#include <stddef.h>

/* Write index_path (atomically) from summary_path; `title` names the scan.
 * Links are made relative to the page's folder, which must be the folder
 * the summary's report paths are relative to. 0, or -1 with the reason in
 * why. */
int scan_dashboard_write(const char *summary_path, const char *index_path, const char *title, char *why,
                         size_t why_cap);

#endif
