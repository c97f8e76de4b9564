/*
 * The files of assets/ (the pages' style sheets and scripts), compiled into
 * the tool as the models are, so every page it writes is one self-contained
 * file: assets/NAME.EXT is the string asset_NAME_EXT (scripts/embed-text.sh;
 * a file is added to ASSETS in src/cli/cli.mk and declared here).
 */
#ifndef CS_CLI_ASSETS_H
#define CS_CLI_ASSETS_H

extern const char asset_report_css[];
extern const char asset_report_js[];
extern const char asset_dashboard_css[];
extern const char asset_dashboard_js[];

#endif
