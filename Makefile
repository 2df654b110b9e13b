# Two commands do everything on a fresh Debian 12 machine:
#   make demo   install what is missing, build, run Switchyard's demonstration
#   make test   install what is missing, build with sanitizers, run every test
# `make bench` runs the benchmarks (not part of the tests).
# `make deb` builds the Debian package (build/packages/switchyard_<version>_amd64.deb).
JOBS ?= 2
BUILD ?= build
TEST_BUILD ?= build-test

.PHONY: deps build build-test demo test bench deb clean

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHYARD_SANITIZE=OFF >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

build-test: deps
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSWITCHYARD_SANITIZE=ON -DSWITCHYARD_BENCH=OFF >/dev/null
	cmake --build $(TEST_BUILD) -j$(JOBS)

demo: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHYARD_SANITIZE=OFF >/dev/null
	cmake --build $(BUILD) -j$(JOBS) --target switchyard switchyard-sim
	bash scripts/demo.sh $(BUILD)/bin/switchyard

test: build-test
	cd $(TEST_BUILD) && ctest --output-on-failure --timeout 900

# Only the switchyard binary is built for the package (cmake/Packaging.cmake).
deb: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHYARD_SANITIZE=OFF >/dev/null
	cmake --build $(BUILD) -j$(JOBS) --target switchyard
	cd $(BUILD) && cpack -G DEB -B "$$PWD/packages"
	dpkg-deb --info $(BUILD)/packages/switchyard_*_amd64.deb

bench: build
	bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
