# `make install` and `make uninstall` (included by the top Makefile, which
# defines BIN, LIB, SO, SO_NAME and VERSION).
#
#   make install [PREFIX=/usr/local] [DESTDIR=/staging]
#
# Installs the tool, the static and shared libraries (the shared one with the
# soname libcallscope.so.MAJOR), the headers, callscope.pc for pkg-config, the
# manual page callscope(1) and the bash completion.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR   ?= $(LIBDIR)/pkgconfig
COMPLETIONSDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL    ?= install

PUBLIC_HEADERS := $(wildcard include/callscope/*.h)

$(BUILD)/callscope.pc: scripts/callscope.pc.in include/callscope/common.h
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' $< >$@.tmp
	mv $@.tmp $@

# The .pc file holds the prefix, so it is made afresh for every install.
.PHONY: $(BUILD)/callscope.pc

install: $(BIN) $(LIB) $(SO) $(BUILD)/callscope.pc
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/callscope \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(COMPLETIONSDIR)
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(BINDIR)/callscope
	$(INSTALL) -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libcallscope.a
	$(INSTALL) -m 755 $(SO) $(DESTDIR)$(LIBDIR)/libcallscope.so.$(VERSION)
	ln -sf libcallscope.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libcallscope.so
	$(INSTALL) -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/callscope/
	$(INSTALL) -m 644 $(BUILD)/callscope.pc $(DESTDIR)$(PKGCONFIGDIR)/callscope.pc
	$(INSTALL) -m 644 docs/callscope.1 $(DESTDIR)$(MANDIR)/man1/callscope.1
	$(INSTALL) -m 644 scripts/callscope-completion.bash $(DESTDIR)$(COMPLETIONSDIR)/callscope

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/callscope $(DESTDIR)$(LIBDIR)/libcallscope.a \
		$(DESTDIR)$(LIBDIR)/libcallscope.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SO_NAME) \
		$(DESTDIR)$(LIBDIR)/libcallscope.so $(DESTDIR)$(PKGCONFIGDIR)/callscope.pc \
		$(DESTDIR)$(MANDIR)/man1/callscope.1 $(DESTDIR)$(COMPLETIONSDIR)/callscope \
		$(addprefix $(DESTDIR)$(INCLUDEDIR)/callscope/,$(notdir $(PUBLIC_HEADERS)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/callscope 2>/dev/null
