.PHONY: setup demo test bench lint

setup:
	@bash scripts/setup.sh

# The demo: embedded Temporal dev server + in-process worker + the fan-out example pipeline.
demo: setup
	npm run --silent demo

# The whole suite: typecheck, lint, unit, workflow (time-skipping), integration (real Temporal).
test: setup
	npm test

bench: setup
	npm run bench:dag

lint: setup
	npm run lint
