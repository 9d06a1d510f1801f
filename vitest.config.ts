import { defineConfig } from 'vitest/config';

/**
 * Tests whose assertions depend on audio flowing in real time (media ticks on the SystemClock,
 * identity marks, tshark captures). They run after the rest, one file at a time, so that a busy
 * 2-core machine does not starve their media ticks: `make test` runs `--project main`, then
 * `--project realtime`.
 */
export const REALTIME = [
  'test/interop/audio-*.test.ts',
  'test/interop/tshark-*.test.ts',
  'test/interop/phones-kamailio.test.ts',
  'test/interop/opus*.test.ts',
  'test/interop/g726*.test.ts',
  'test/interop/media-sipp.test.ts',
  'test/interop/codecs-kamailio.test.ts',
  'test/interop/in-call-kamailio.test.ts',
  'test/phone/audio-*.test.ts',
  'test/interop/handset-*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: interop tests start real peers; keep parallelism modest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: REALTIME } },
      { extends: true, test: { name: 'realtime', include: REALTIME, fileParallelism: false } },
    ],
  },
});
