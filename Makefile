# vphone — two commands: `make run` (the default lab) and `make test` (the whole suite).
SHELL := /bin/bash
NODE_BIN := node_modules/.bin

.PHONY: deps build run test lint typecheck bench clean

deps:
	@bash scripts/deps.sh

build: deps
	@$(NODE_BIN)/tsc -p tsconfig.build.json

run: deps
	@bin/vphone lab

typecheck: deps
	@$(NODE_BIN)/tsc --noEmit -p tsconfig.json

lint: deps
	@$(NODE_BIN)/eslint --max-warnings 0 .

# The real-time media tests run after the rest, one file at a time (vitest.config.ts REALTIME).
test: deps typecheck lint
	@$(NODE_BIN)/vitest run --project main
	@$(NODE_BIN)/vitest run --project realtime

bench: deps
	@bash bench/run.sh

clean:
	rm -rf dist build native/*/build
