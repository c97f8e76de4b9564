# Sources of the command-line tool (included by the top Makefile).
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
	src/cli/call_log.c \
	src/cli/spool.c \
	src/cli/json_writer.c \
	src/cli/report_json.c \
	src/cli/summary_text.c \
	src/cli/atomic_file.c \
	src/cli/call_run.c \
	src/cli/role_check.c \
	src/cli/voice_log.c \
	src/cli/tone_io.c \
	src/cli/csv_writer.c \
	src/cli/exports.c \
	src/cli/html_text.c \
	src/cli/report_html.c

# The pages' style sheets and scripts live in assets/ and are compiled in as
# one string each, named cs_asset_ and the file name with '.' as '_'
# (assets/dashboard.css: cs_asset_dashboard_css).
CLI_ASSETS := assets/dashboard.css assets/dashboard.js
CLI_ASSET_OBJ = $(CLI_ASSETS:assets/%=$(BUILD)/assets/%.o)

$(BUILD)/assets/%.c: assets/% scripts/embed-text.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-text.sh cs_asset_$(subst .,_,$*) $< > $@

$(BUILD)/assets/%.o: $(BUILD)/assets/%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(EMBED_WARN) -c -o $@ $<
