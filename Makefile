# Lobby Kiosk — the two commands: `make run` and `make test`.
# Wraps CMake + Ninja the way Neovim's Makefile does; every target installs the
# missing Debian packages first (scripts/install-deps.sh), so a fresh Debian 12
# machine needs nothing else.

BUILD_TYPE ?= Release
BUILD_DIR  ?= build
ASAN_DIR   ?= build-asan
TSAN_DIR   ?= build-tsan
FUZZ_DIR   ?= build-fuzz
# Seconds each fuzzer runs in `make fuzz` (the long runs: FUZZ_SECONDS=2400).
FUZZ_SECONDS ?= 20
CTEST_JOBS ?= 2
# Extra arguments for the kiosk in `make run`, e.g. KIOSK_ARGS="--windowed 1280x800"
KIOSK_ARGS ?=

CMAKE_GEN  := -G Ninja

.PHONY: all deps configure build run test bench test-asan test-tsan fuzz screenshots package clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR)

run: build
	scripts/run-kiosk.sh $(BUILD_DIR) $(KIOSK_ARGS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(CTEST_JOBS)

# Debian packages lobby-kiosk and lobby-kiosk-crm in build/ (CPack DEB; packaging/packaging.cmake).
package: build
	cd $(BUILD_DIR) && cpack -G DEB

bench: build
	scripts/bench.sh $(BUILD_DIR)

screenshots: build
	scripts/screenshots.sh $(BUILD_DIR)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
# alloc_dealloc_mismatch=0: libgooglepinyin frees with delete what it made with
# new[] (its bug, harmless with glibc); its bounded leak is suppressed in
# tests/sanitizer/lsan.supp. Everything else stays fatal.
ASAN_ENV := ASAN_OPTIONS=alloc_dealloc_mismatch=0:detect_leaks=1 \
            LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
test-asan: deps
	cmake -S . -B $(ASAN_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DKIOSK_SANITIZE=address
	cmake --build $(ASAN_DIR)
	cd $(ASAN_DIR) && $(ASAN_ENV) ctest --output-on-failure -j $(CTEST_JOBS)

# Every thread under ThreadSanitizer: the sync worker, the CRM request worker,
# the speaker, the print queue and the watchdog beside the UI thread, and the
# CRM's HTTP threads. Left out: the display-server runs (glass, appliance), the
# bench and the fuzz replays, which start no threads of their own.
test-tsan: deps
	cmake -S . -B $(TSAN_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DKIOSK_SANITIZE=thread
	cmake --build $(TSAN_DIR)
	cd $(TSAN_DIR) && ctest --output-on-failure -j $(CTEST_JOBS) -LE "glass|appliance|bench|fuzz"

# libFuzzer targets (clang-14, ASan + UBSan) for the CRM's record intake and the
# kiosk's parsing of CRM replies, each run FUZZ_SECONDS over its seed corpus
# (tests/fuzz/corpus/<target>/). Not part of `make test`; ctest replays the corpora.
fuzz: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIOSK_FUZZ=ON
	cmake --build $(FUZZ_DIR) --target fuzz_crm_intake fuzz_kiosk_replies
	scripts/run-fuzzers.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR) $(FUZZ_DIR)
