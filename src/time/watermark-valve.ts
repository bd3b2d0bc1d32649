// Combines the watermarks of an operator's input channels (Flink's StatusWatermarkValve): keeps
// the highest watermark per channel; the operator's watermark is the minimum over the channels
// that are still open, and it is forwarded only when it grows.

export class WatermarkValve {
  private readonly channels: Float64Array;
  private readonly finished: Uint8Array;
  private current = Number.NEGATIVE_INFINITY;

  constructor(channelCount: number) {
    this.channels = new Float64Array(channelCount).fill(Number.NEGATIVE_INFINITY);
    this.finished = new Uint8Array(channelCount);
  }

  /** The operator's current watermark. */
  get watermark(): number {
    return this.current;
  }

  /** A channel delivered a watermark: returns the new operator watermark, or null when it did not grow. */
  onWatermark(channel: number, watermark: number): number | null {
    if (watermark <= this.channels[channel]!) return null;
    this.channels[channel] = watermark;
    return this.advance();
  }

  /** A channel ended: it no longer holds the watermark back. */
  onEndOfInput(channel: number): number | null {
    this.finished[channel] = 1;
    return this.advance();
  }

  private advance(): number | null {
    let min = Number.POSITIVE_INFINITY;
    let open = 0;
    for (let i = 0; i < this.channels.length; i++) {
      if (this.finished[i] === 1) continue;
      open++;
      if (this.channels[i]! < min) min = this.channels[i]!;
    }
    if (open === 0 || min <= this.current) return null;
    this.current = min;
    return min;
  }
}
