# callscope: GNU Makefile. `make demo` sets up and analyzes the bundled call;
# `make test` runs the test suite; `make test-asan` runs it under ASan + UBSan.

# The library needs FFTW and libsoxr; the command-line tool adds libsndfile
# (files) and PortAudio (live capture).
LIB_PKGS := fftw3f soxr
PKGS     := $(LIB_PKGS) sndfile portaudio-2.0
CC       ?= cc
CFLAGS   ?= -O3 -g
WARN     := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc
BUILD    ?= build

# pkg-config is asked only when building, so `make deps` works on a bare machine.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS    += $(PKG_LIBS) -lpthread -lm
LIB_LIBS   = $(shell pkg-config --libs $(LIB_PKGS) 2>/dev/null) -lpthread -lm

VERSION  := $(shell sed -n 's/^\#define CS_VERSION "\(.*\)"/\1/p' include/callscope/common.h)
SOMAJOR  := $(firstword $(subst ., ,$(VERSION)))

# The library core: PCM in, events out. No file I/O, no printing.
LIB_SRC := \
	src/analyzer.c \
	src/pipeline.c \
	src/event_queue.c \
	src/fft.c \
	src/profile.c \
	src/spectrum.c \
	src/vad.c \
	src/segments.c \
	src/turns.c \
	src/histogram.c \
	src/pitch.c \
	src/voice.c \
	src/laughter.c \
	src/tone.c \
	src/tone_model.c \
	src/kv_text.c \
	src/flags.c \
	src/coaching.c \
	src/live.c \
	src/diarize.c \
	src/resample.c \
	src/json_writer.c \
	src/call_store.c \
	src/call.c \
	src/report_json.c

BIN     ?= callscope
OBJCOPY ?= objcopy

# The first target is the default one; the included fragments add their own.
all: $(BIN) libs

# The command-line tool (sources, reports, subcommands) and the tests keep
# their own lists beside their code.
include src/cli/cli.mk
include tests/tests.mk
include scripts/demo.mk

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/default_profile.o $(BUILD)/default_tone_model.o \
           $(BUILD)/default_coaching.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o) $(ASSET_OBJ)
# What is installed: the static library and the shared one, which export the
# cs_ functions of include/callscope/ and nothing else.
LIB     := $(BUILD)/libcallscope.a
SO_NAME := libcallscope.so.$(SOMAJOR)
SO      := $(BUILD)/libcallscope.so.$(VERSION)
# The same objects with every internal function still linkable, for the tests
# that exercise one stage (the FFT wrapper, the profile's key table).
LIB_INTERNAL := $(BUILD)/libcallscope-internal.a

.PHONY: all deps demo test test-asan bench fuzz install uninstall clean distclean examples

deps:
	@sh scripts/install-deps.sh

# The tool links the installed kind of library, so it can use nothing the
# library does not export.
$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# Library code is position-independent (one set of objects serves both
# libraries) and hidden unless marked CS_API.
$(LIB_OBJ): OBJ_CFLAGS := -fPIC -fvisibility=hidden

$(LIB_INTERNAL): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# One relocatable object whose hidden symbols are made local: an embedding
# program that defines histogram_add or vad_init of its own still links.
$(LIB): $(LIB_OBJ)
	@rm -f $@ $(BUILD)/callscope-all.o
	$(LD) -r -o $(BUILD)/callscope-all.o $^
	$(OBJCOPY) --localize-hidden $(BUILD)/callscope-all.o
	$(AR) rcs $@ $(BUILD)/callscope-all.o

$(SO): $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SO_NAME) -Wl,--no-undefined -o $@ $^ $(LIB_LIBS)

libs: $(LIB) $(SO)

# The example programs (examples/), built as another program builds against
# the library: the public headers and the static library, nothing internal.
EXAMPLE_BINS := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))

$(BUILD)/examples/%: examples/%.c $(LIB) $(wildcard include/callscope/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -Iinclude $(LDFLAGS) -o $@ $< $(LIB) $(LIB_LIBS)

examples: $(EXAMPLE_BINS)

# Installing needs the names of what is installed, defined above.
include scripts/install.mk

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(OBJ_CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

# Files compiled in as one string each: longer than the 4095 characters C
# promises, which every compiler we build with handles.
EMBED_WARN := $(WARN) -Wno-overlength-strings

# models/default.profile is compiled in, so the file is the one source of defaults.
$(BUILD)/default_profile.c: models/default.profile scripts/embed-text.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-text.sh cs_default_profile_text $< > $@

$(BUILD)/default_profile.o: $(BUILD)/default_profile.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(OBJ_CFLAGS) $(EMBED_WARN) -c -o $@ $<

# So is the default tone model.
$(BUILD)/default_tone_model.c: models/tone.model scripts/embed-text.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-text.sh cs_default_tone_model_text $< > $@

$(BUILD)/default_tone_model.o: $(BUILD)/default_tone_model.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(OBJ_CFLAGS) $(EMBED_WARN) -c -o $@ $<

# And the coaching messages and tips.
$(BUILD)/default_coaching.c: models/coaching.txt scripts/embed-text.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-text.sh cs_default_coaching_text $< > $@

$(BUILD)/default_coaching.o: $(BUILD)/default_coaching.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(OBJ_CFLAGS) $(EMBED_WARN) -c -o $@ $<

# And the pages' style sheets and scripts, one rule for all of assets/.
$(BUILD)/assets/%.c: assets/% scripts/embed-text.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-text.sh asset_$(subst .,_,$(subst -,_,$*)) $< > $@

$(BUILD)/assets/%.o: $(BUILD)/assets/%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(EMBED_WARN) -c -o $@ $<

clean:
	rm -rf build build-asan build-fuzz callscope

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
