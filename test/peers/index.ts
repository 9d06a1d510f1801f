// Real peers on loopback for interop tests: Kamailio, SIPp, dnsmasq, and a loopback-only network
// namespace. How to use them: docs/testing-with-peers.md. The short form:
//
//   const peers = peerGroup();                        // at the top of a describe/file
//   let proxy: Kamailio;
//   beforeAll(async () => { proxy = await peers.kamailio({ users: [{ user: 'alice', password: 'pw' }] }); });
//   it('...', async () => { const r = await peers.runSipp({ scenario: 'uac_call', target: proxy, ... }); });
//
// peerGroup() stops every peer it started after the suite and keeps their temp directories (logs,
// configs, SIPp message traces) when a test failed or VPHONE_KEEP_PEER_LOGS=1, printing where.
import { afterAll, beforeEach } from 'vitest';
import { startDnsmasq } from './dnsmasq.js';
import { startKamailio } from './kamailio.js';
import { keepLogsFromEnv, removeTempDir } from './process.js';
import { runSipp, startSipp } from './sipp.js';
import type { Dnsmasq, DnsmasqOptions } from './dnsmasq.js';
import type { Kamailio, KamailioOptions } from './kamailio.js';
import type { SippInstance, SippOptions, SippResult } from './sipp.js';

export * from './ports.js';
export * from './kamailio.js';
export * from './sipp.js';
export * from './dnsmasq.js';
export * from './netns.js';
export { keepLogsFromEnv, livePeerCount, peerTempDir, waitFor } from './process.js';
export { sipOptions, sendRequest, buildRequest, parseResponse, digestAuthorization, parseDigestChallenge } from './sip-client.js';
export type { SipResponse, SipTransport, DigestAlgorithm } from './sip-client.js';

interface Stoppable {
  dir: string;
  stop(options?: { keepLogs?: boolean }): Promise<unknown>;
}

export interface PeerGroup {
  kamailio(options?: KamailioOptions): Promise<Kamailio>;
  /** A SIPp instance in the background (a UAS, or a UAC whose `done` the test awaits). */
  sipp(options: SippOptions): Promise<SippInstance>;
  /** Runs SIPp to completion; its temp directory is kept until the group stops. */
  runSipp(options: SippOptions): Promise<SippResult>;
  dnsmasq(options?: DnsmasqOptions): Promise<Dnsmasq>;
  /** Stops everything now (also done automatically after the suite). */
  stopAll(options?: { keepLogs?: boolean }): Promise<void>;
  /** Temp directories of the peers started so far (for messages on failure). */
  dirs(): string[];
}

/**
 * A set of peers tied to the current vitest suite: registers beforeEach/afterAll hooks, so call
 * it at the top level of a test file or describe block, not inside a test.
 */
export function peerGroup(): PeerGroup {
  const running: Stoppable[] = [];
  const finishedDirs: string[] = [];
  let failed = false;

  beforeEach((context) => {
    context.onTestFailed(() => {
      failed = true;
    });
  });

  const track = <T extends Stoppable>(peer: T): T => {
    running.push(peer);
    return peer;
  };

  const stopAll = async (options: { keepLogs?: boolean } = {}): Promise<void> => {
    const keep = options.keepLogs ?? (failed || keepLogsFromEnv());
    const peers = running.splice(0);
    await Promise.all(peers.map((p) => p.stop({ keepLogs: keep })));
    const dirs = [...peers.map((p) => p.dir), ...finishedDirs.splice(0)];
    if (keep) {
      if (dirs.length > 0) console.error(`peers: logs kept in\n  ${dirs.join('\n  ')}`);
    } else {
      for (const dir of dirs) removeTempDir(dir);
    }
  };

  afterAll(() => stopAll());

  return {
    kamailio: async (options) => track(await startKamailio(options)),
    sipp: async (options) => track(await startSipp(options)),
    runSipp: async (options) => {
      const result = await runSipp({ ...options, keepLogs: true });
      finishedDirs.push(result.dir);
      return result;
    },
    dnsmasq: async (options) => track(await startDnsmasq(options)),
    stopAll,
    dirs: () => [...running.map((p) => p.dir), ...finishedDirs],
  };
}
