// Symmetric RTP latching (RFC 4961 symmetric RTP; the "comedia"/NAT-traversal practice of
// phones and SBCs): media is sent to where the remote's media comes from, which behind a NAT is
// not the address its SDP announced. Sans-IO: the endpoint asks `check` for each valid packet.
// - Before latching, the SDP address is the destination and packets from anywhere are accepted;
//   the first valid packet latches its source.
// - After latching, packets from other sources are dropped and counted ('foreign'), unless one
//   source sends `relatchAfter` valid packets in a row with none from the latched one in between
//   (the remote's NAT binding changed, or media moved): then it is latched instead.
// - The SDP address is authoritative: latched elsewhere, a packet from it latches it at once
//   (a late packet of the previous peer, arriving just after a re-INVITE, must not keep media
//   pointed at the old peer).

export interface TransportAddress {
  address: string;
  port: number;
}

/** What `check` decided: deliver ('accept', 'latched', 'relatched') or drop ('foreign'). */
export type LatchVerdict = 'accept' | 'latched' | 'relatched' | 'foreign';

export interface SymmetricLatchOptions {
  /** The address from SDP (c= line and m= port); undefined until known. */
  expected?: TransportAddress;
  /** false: never latch; send to `expected` and accept from anywhere. Default true. */
  enabled?: boolean;
  /** Consecutive packets from a new source that move the latch (default 4). */
  relatchAfter?: number;
}

export class SymmetricLatch {
  /** Where to send: the latched source, else the SDP address. */
  address: string | undefined;
  port: number | undefined;
  latched = false;
  /** Packets dropped because they came from a source other than the latched one. */
  foreign = 0;
  relatches = 0;
  private readonly enabled: boolean;
  private readonly relatchAfter: number;
  private candidateAddress = '';
  private candidatePort = -1;
  private candidateCount = 0;
  private expectedAddress: string | undefined;
  private expectedPort: number | undefined;

  constructor(options: SymmetricLatchOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.relatchAfter = options.relatchAfter ?? 4;
    this.address = this.expectedAddress = options.expected?.address;
    this.port = this.expectedPort = options.expected?.port;
  }

  /** The address from SDP, if known. */
  get expected(): TransportAddress | undefined {
    return this.expectedAddress !== undefined && this.expectedPort !== undefined ? { address: this.expectedAddress, port: this.expectedPort } : undefined;
  }

  /** Whether media comes from where SDP said (no NAT in between). */
  get latchedToExpected(): boolean {
    return this.latched && this.address === this.expectedAddress && this.port === this.expectedPort;
  }

  /** Where media should go now, or undefined when nothing is known yet. */
  get destination(): TransportAddress | undefined {
    return this.address !== undefined && this.port !== undefined ? { address: this.address, port: this.port } : undefined;
  }

  /** Decides about a valid packet from `address`:`port`. */
  check(address: string, port: number): LatchVerdict {
    if (!this.enabled) return 'accept';
    if (!this.latched) {
      this.latchTo(address, port);
      return 'latched';
    }
    if (address === this.address && port === this.port) {
      this.candidateCount = 0;
      return 'accept';
    }
    if (address === this.expectedAddress && port === this.expectedPort) {
      this.latchTo(address, port);
      this.relatches++;
      return 'relatched';
    }
    if (address === this.candidateAddress && port === this.candidatePort) this.candidateCount++;
    else {
      this.candidateAddress = address;
      this.candidatePort = port;
      this.candidateCount = 1;
    }
    if (this.candidateCount >= this.relatchAfter) {
      this.latchTo(address, port);
      this.relatches++;
      return 'relatched';
    }
    this.foreign++;
    return 'foreign';
  }

  /** New remote from SDP (re-INVITE): forget the latch. */
  reset(expected?: TransportAddress): void {
    this.latched = false;
    this.address = this.expectedAddress = expected?.address;
    this.port = this.expectedPort = expected?.port;
    this.candidateCount = 0;
    this.candidatePort = -1;
  }

  private latchTo(address: string, port: number): void {
    this.latched = true;
    this.address = address;
    this.port = port;
    this.candidateCount = 0;
    this.candidatePort = -1;
  }
}
