# `make demo`: from a fresh Debian machine to a report on the bundled demo call.
# Included by the top Makefile, which defines BIN and BUILD.
#
# The dependencies are installed first, and only then is the program built by a
# recursive $(MAKE): the top Makefile asks pkg-config for compiler and linker flags
# when it is read, so a make that started before FFTW, libsndfile and PortAudio
# were installed would hold empty flags. The sub-make reads the Makefile afresh.

DEMO_CALL   = recordings/demo_call.wav
DEMO_REPORT = $(BUILD)/demo_report.json
DEMO_HTML   = $(BUILD)/demo_report.html

demo:
	@pkg-config --exists fftw3f soxr sndfile portaudio-2.0 2>/dev/null || sh scripts/install-deps.sh
	$(MAKE) $(BIN)
	@mkdir -p $(dir $(DEMO_REPORT))
	./$(BIN) analyze $(DEMO_CALL) --json $(DEMO_REPORT) --html $(DEMO_HTML)
	@echo "reports written to $(DEMO_REPORT) and $(DEMO_HTML) (open it in a browser)"
