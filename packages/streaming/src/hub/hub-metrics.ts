import type { InvalidRecord } from '../record-check';
import type { EndReason } from './subscription-end';

/**
 * Optional hooks through which the hub reports what it does, e.g. into Prometheus counters in
 * the gateway. Plain callbacks keep this package free of any metrics library. They are called
 * synchronously on the hot path: keep them cheap, and they must not throw.
 */
export interface FanoutHubMetrics {
  /** A topic's subscriber count (catching up and live) changed. */
  subscribers?(topic: string, count: number): void;
  /** Events were queued for subscribers (one call per upstream or catch-up batch). */
  delivered?(topic: string, count: number): void;
  /** Records were parsed from a topic's shared upstream reader (one call per batch). */
  parsed?(topic: string, count: number): void;
  /**
   * The shared reader skipped a record the record check found invalid (once per record per
   * instance; catch-up readers re-reading history do not report).
   */
  invalid?(topic: string, verdict: InvalidRecord): void;
  /** The hub ended a subscription (consumer closes are not reported). */
  ended?(topic: string, reason: Exclude<EndReason, 'CLOSED'>): void;
  /** A reader was opened: `live` is the topic's shared one, `history` one subscriber's catch-up. */
  readerOpened?(topic: string, kind: 'live' | 'history'): void;
  /** A reader was closed. */
  readerClosed?(topic: string, kind: 'live' | 'history'): void;
}
