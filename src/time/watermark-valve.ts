// Combines the watermarks of an operator's input channels (Flink's StatusWatermarkValve): keeps
// the highest watermark per channel; the operator's watermark is the minimum over the channels
// that are active and aligned; it is forwarded only when it grows. An idle channel stops holding
// the watermark back; when it becomes active again it rejoins once it has caught up. When every
// channel is idle, the operator is idle too.

const NONE = Number.NEGATIVE_INFINITY;

export class WatermarkValve {
  private readonly watermarks: Float64Array;
  private readonly idle: Uint8Array;
  private readonly finished: Uint8Array;
  /** A channel counts towards the minimum once its watermark is at or past the operator's. */
  private readonly aligned: Uint8Array;
  private current = NONE;
  private allIdle = false;

  constructor(channelCount: number) {
    this.watermarks = new Float64Array(channelCount).fill(NONE);
    this.idle = new Uint8Array(channelCount);
    this.finished = new Uint8Array(channelCount);
    this.aligned = new Uint8Array(channelCount).fill(1);
  }

  /** The operator's current watermark. */
  get watermark(): number {
    return this.current;
  }

  /** Whether every open channel is idle (so the operator is idle). */
  get isIdle(): boolean {
    return this.allIdle;
  }

  /** The watermark last seen on a channel. */
  channelWatermark(channel: number): number {
    return this.watermarks[channel]!;
  }

  /** Whether a channel is marked idle. */
  isChannelIdle(channel: number): boolean {
    return this.idle[channel] === 1;
  }

  /** A channel delivered a watermark: returns the new operator watermark, or null when it did not grow. */
  onWatermark(channel: number, watermark: number): number | null {
    if (watermark <= this.watermarks[channel]!) return null;
    this.watermarks[channel] = watermark;
    if (this.aligned[channel] === 0 && watermark >= this.current) this.aligned[channel] = 1;
    return this.advance();
  }

  /**
   * A channel became idle or active. Returns the new operator watermark (an idle channel may have
   * been the one holding it back) or null.
   */
  onStatus(channel: number, idle: boolean): number | null {
    this.idle[channel] = idle ? 1 : 0;
    if (!idle && this.watermarks[channel]! < this.current) this.aligned[channel] = 0;
    return this.advance();
  }

  /** A channel ended: it no longer holds the watermark back. */
  onEndOfInput(channel: number): number | null {
    this.finished[channel] = 1;
    return this.advance();
  }

  private advance(): number | null {
    let min = Number.POSITIVE_INFINITY;
    let counted = 0;
    let open = 0;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.finished[i] === 1) continue;
      open++;
      if (this.idle[i] === 1 || this.aligned[i] === 0) continue;
      counted++;
      if (this.watermarks[i]! < min) min = this.watermarks[i]!;
    }
    this.allIdle = open > 0 && counted === 0 && this.countIdle() === open;
    if (counted === 0 && open > 0) return null;
    if (min <= this.current) return null;
    this.current = min;
    return min;
  }

  private countIdle(): number {
    let n = 0;
    for (let i = 0; i < this.idle.length; i++) if (this.finished[i] === 0 && this.idle[i] === 1) n++;
    return n;
  }
}
