// Watches an operator's event time for the commonest surprise of event-time jobs: records keep
// arriving but the watermark does not move, because one input (a source subtask with no data,
// more subtasks than partitions) holds it back. Says so once, naming that input.

/** How long the watermark may stand still while records arrive before eddy warns. */
export const STALL_WARNING_MS = 10_000;

export class WatermarkStallDetector {
  private lastAdvance: number;
  private warned = false;

  constructor(
    now: number,
    private readonly thresholdMs = STALL_WARNING_MS,
  ) {
    this.lastAdvance = now;
  }

  /** The operator's watermark grew. */
  onAdvance(now: number): void {
    this.lastAdvance = now;
  }

  /**
   * A record arrived. Returns the channel holding event time back when the watermark has stood
   * still too long while some other channel moved on, once per operator; otherwise undefined.
   */
  onRecord(now: number, channelWatermarks: (channel: number) => number, channels: number, isIdle: (channel: number) => boolean): number | undefined {
    if (this.warned || now - this.lastAdvance < this.thresholdMs) return undefined;
    let lowest = -1;
    let highest = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < channels; c++) {
      const wm = channelWatermarks(c);
      if (wm > highest) highest = wm;
      if (!isIdle(c) && (lowest === -1 || wm < channelWatermarks(lowest))) lowest = c;
    }
    if (lowest === -1 || channelWatermarks(lowest) >= highest) return undefined;
    this.warned = true;
    return lowest;
  }
}
