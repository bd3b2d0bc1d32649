// Where an operator's output goes next inside an actor: the input of a chained operator, or the
// record writer of a network edge.

/** What receives a stream of records and watermarks: a chained operator's input or a record writer. */
export interface Downstream {
  collect(value: unknown, timestamp: number): void;
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(idle: boolean): void;
}
