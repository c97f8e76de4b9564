# Sources of the command-line tool (included by the top Makefile). The
# tool links the library's JSON writer in itself for its live event stream,
# as the library exports only its cs_ functions.
CLI_SRC := \
	src/cli/main.c \
	src/cli/cli.c \
	src/cli/cmd_analyze.c \
	src/cli/analysis_setup.c \
	src/cli/cmd_scan.c \
	src/cli/cmd_merge.c \
	src/cli/cmd_live.c \
	src/cli/live_view.c \
	src/cli/source_capture.c \
	src/cli/scan_list.c \
	src/cli/scan_record.c \
	src/cli/scan_queue.c \
	src/cli/scan_manifest.c \
	src/cli/scan_baselines.c \
	src/cli/scan_dashboard.c \
	src/cli/call_meta.c \
	src/cli/csv_reader.c \
	src/cli/cmd_profile.c \
	src/cli/cmd_baseline.c \
	src/cli/cmd_train_tone.c \
	src/cli/profile_io.c \
	src/cli/source_file.c \
	src/cli/spool.c \
	src/cli/json_writer.c \
	src/json_writer.c \
	src/cli/report_json.c \
	src/cli/summary_text.c \
	src/cli/atomic_file.c \
	src/cli/call_run.c \
	src/cli/role_check.c \
	src/cli/tone_io.c \
	src/cli/csv_writer.c \
	src/cli/exports.c \
	src/cli/html_text.c \
	src/cli/report_html.c \
	src/cli/saved_report.c \
	src/cli/json_reader.c

# Files of assets/ compiled in (src/cli/assets.h says how they are named).
ASSETS := report.css report.js dashboard.css dashboard.js
ASSET_OBJ := $(ASSETS:%=$(BUILD)/assets/%.o)
