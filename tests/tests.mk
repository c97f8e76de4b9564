# Test programs and targets (included by the top Makefile).
#
#   make test        library known-answer tests, then the CLI end to end
#   make test-asan   the same suite built with AddressSanitizer + UBSan in build-asan/
#   make bench       throughput on a generated 1-hour call, memory up to 10 hours
#   make soak        live mode through a simulated 8-hour shift: memory stays flat
#
# This file is read before the top Makefile names its first target, so keep
# `all` the default goal.

# The library archive with its internal functions (the top Makefile defines it
# after including this file): some tests exercise one stage on its own.
TEST_LIB := $(BUILD)/libcallscope-internal.a

TEST_PROGS := test_profile test_fft test_api test_vad test_echo test_turns test_blocksize test_voice test_tone test_flags test_cues test_diarize test_laughter test_call
TEST_TOOLS := gencall jsoncheck jsoncmp decode bench lsan_probe csvq peakrss

# Shared by the test programs: the call generator, the analysis loop and the
# JSON reader (for its file reader).
TEST_SUPPORT := tests/callgen.c tests/scenes.c tests/runcall.c tests/json.c
# Shared by the file tools.
TOOL_SUPPORT := tests/callgen.c tests/callgen_wav.c tests/scenes.c
JSON_SUPPORT := tests/json.c

TEST_SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(BUILD)/%.o)
TOOL_SUPPORT_OBJ := $(TOOL_SUPPORT:%.c=$(BUILD)/%.o)
JSON_SUPPORT_OBJ := $(JSON_SUPPORT:%.c=$(BUILD)/%.o)

TEST_BINS := $(TEST_PROGS:%=$(BUILD)/tests/%)
TOOL_BINS := $(TEST_TOOLS:%=$(BUILD)/tests/%)

TEST_OBJ := $(TEST_PROGS:%=$(BUILD)/tests/%.o) $(TEST_TOOLS:%=$(BUILD)/tests/%.o) $(BUILD)/tests/measure.o \
	$(sort $(TEST_SUPPORT_OBJ) $(TOOL_SUPPORT_OBJ) $(JSON_SUPPORT_OBJ))

$(TEST_BINS): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_SUPPORT_OBJ) $(TEST_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT_OBJ) $(TEST_LIB) $(LDLIBS)

$(BUILD)/tests/gencall: $(BUILD)/tests/gencall.o $(TOOL_SUPPORT_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/decode: $(BUILD)/tests/decode.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/lsan_probe: $(BUILD)/tests/%: $(BUILD)/tests/%.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The bench and peakrss run programs and take their cost (tests/measure.c).
$(BUILD)/tests/bench $(BUILD)/tests/peakrss: $(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/measure.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/jsoncheck $(BUILD)/tests/jsoncmp: $(BUILD)/tests/%: $(BUILD)/tests/%.o $(JSON_SUPPORT_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The same CSV reader the tool uses to read its own files back.
$(BUILD)/tests/csvq: $(BUILD)/tests/csvq.o $(BUILD)/src/cli/csv_reader.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: test-programs
test-programs: $(TEST_BINS) $(TOOL_BINS)

# tests/run.sh runs every program and the CLI tests, prints the totals line
# and fails if anything failed.
test: $(BIN) test-programs examples
	BUILD=$(BUILD) BIN=$(BIN) CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" sh tests/run.sh

test-asan:
	$(MAKE) BUILD=build-asan BIN=build-asan/callscope \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" test

# The bench call is generated once and kept in $(BUILD)/bench/ (regenerate by
# deleting it); decoding and analysis are then timed in the same run.
BENCH_DIR := $(BUILD)/bench

$(BENCH_DIR)/call-1h.wav: | $(BUILD)/tests/gencall
	@mkdir -p $(BENCH_DIR)
	$(BUILD)/tests/gencall conversation $@.tmp --rate 8000 --format ulaw --duration 3600 --seed 7
	mv $@.tmp $@

# Ten hours (576 MB), for the memory of a very long recording.
$(BENCH_DIR)/call-10h.wav: | $(BUILD)/tests/gencall
	@mkdir -p $(BENCH_DIR)
	$(BUILD)/tests/gencall conversation $@.tmp --rate 8000 --format ulaw --duration 36000 --seed 7
	mv $@.tmp $@

$(BENCH_DIR)/call-1m.wav: | $(BUILD)/tests/gencall
	@mkdir -p $(BENCH_DIR)
	$(BUILD)/tests/gencall conversation $@.tmp --rate 8000 --format ulaw --duration 60 --seed 7
	mv $@.tmp $@

# Mono mixes of the same kind of call, for the separation's cost and memory.
$(BENCH_DIR)/mono-%.wav: | $(BUILD)/tests/gencall
	@mkdir -p $(BENCH_DIR)
	$(BUILD)/tests/gencall conversation $@.tmp --rate 8000 --format ulaw --channels 1 \
		--duration $$(case $* in 1h) echo 3600;; 5m) echo 300;; *) echo 60;; esac) --seed 7
	mv $@.tmp $@

# The scan bench: 32 calls of 2.5 minutes (8 different ones, each 4 times).
$(BENCH_DIR)/scan/.complete: | $(BUILD)/tests/gencall
	@rm -rf $(BENCH_DIR)/scan && mkdir -p $(BENCH_DIR)/scan
	for s in 1 2 3 4 5 6 7 8; do \
		$(BUILD)/tests/gencall conversation $(BENCH_DIR)/scan/call$$s-a.wav --rate 8000 --format ulaw \
			--duration 150 --seed $$s || exit 1; \
		for c in b c d; do cp $(BENCH_DIR)/scan/call$$s-a.wav $(BENCH_DIR)/scan/call$$s-$$c.wav; done; \
	done
	touch $@

BENCH_MONO := $(BENCH_DIR)/mono-1h.wav $(BENCH_DIR)/mono-5m.wav $(BENCH_DIR)/mono-1m.wav

bench: $(BIN) $(BUILD)/tests/decode $(BUILD)/tests/bench $(BENCH_DIR)/call-1h.wav $(BENCH_DIR)/call-1m.wav \
		$(BENCH_DIR)/call-10h.wav $(BENCH_MONO) $(BENCH_DIR)/scan/.complete
	$(BUILD)/tests/bench $(BIN) $(BUILD)/tests/decode $(BENCH_DIR)/call-1h.wav $(BENCH_DIR)/call-1m.wav \
		$(BENCH_DIR)/call-10h.wav $(BENCH_MONO) $(BENCH_DIR)/scan $(BENCH_DIR)/scan-out

# make latency: how soon live cues follow what they are about.
.PHONY: latency
latency: $(BIN) $(BUILD)/tests/gencall
	sh scripts/live-latency.sh $(BIN) $(BUILD)

# make soak [SOAK_HOURS=8]: live mode through a simulated shift, memory flat.
.PHONY: soak
soak: $(BIN) test-programs
	BUILD=$(BUILD) BIN=$(BIN) SOAK_HOURS=$(SOAK_HOURS) sh tests/live_soak.sh

SOAK_HOURS ?= 8

# ---- fuzzing ----------------------------------------------------------------
# make fuzz [FUZZ_SECONDS=600] [FUZZ_TIMEOUT=20]: the libFuzzer target tests/fuzz_analyze.c,
# built with clang, ASan and UBSan in build-fuzz/, run over the seed corpus
# scripts/fuzz-corpus.sh makes. New inputs go to build-fuzz/corpus/, findings
# to build-fuzz/crash-* (and the run fails).
FUZZ_SECONDS ?= 60
# Seconds one input may take before it counts as a hang: an input takes
# under 2 s here, but a run niced behind other work gets a sliver of a core.
FUZZ_TIMEOUT ?= 20
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

# The tool's objects but its main(): libFuzzer brings its own.
FUZZ_CLI_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter-out src/cli/main.c,$(CLI_SRC))) $(ASSET_OBJ)

$(BUILD)/tests/fuzz_analyze: $(BUILD)/tests/fuzz_analyze.o $(FUZZ_CLI_OBJ) $(TEST_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# The target includes the tool's headers: rebuilt when they change.
-include $(BUILD)/tests/fuzz_analyze.d

fuzz: $(BUILD)/tests/gencall
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
		LDFLAGS="-fsanitize=address,undefined" build-fuzz/tests/fuzz_analyze
	rm -rf build-fuzz/seeds
	sh scripts/fuzz-corpus.sh $(BUILD)/tests/gencall build-fuzz/seeds
	mkdir -p build-fuzz/corpus
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz-lsan.supp:print_suppressions=0 \
	build-fuzz/tests/fuzz_analyze build-fuzz/corpus build-fuzz/seeds -max_len=65536 -timeout=$(FUZZ_TIMEOUT) \
		-rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build-fuzz/
