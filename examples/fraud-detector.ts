// The fraud rule of examples/fraud-detection.ts and examples/fraud-service.ts: a card used in two
// different cities within ten minutes. `secondCityAlert` is the rule itself; the KeyedProcessFunction
// applies it per card in eddy, keeping the card's last use in ValueState (in event time).

import {
  KeyedProcessFunction,
  Time,
  ValueStateDescriptor,
  type Collector,
  type KeyedContext,
  type OnTimerContext,
  type RuntimeContext,
  type ValueState,
} from 'eddy';
import type { Transaction } from './inputs.js';

const TEN_MINUTES = Time.minutes(10);

/** What the rule reads of a payment. */
export type CardUse = Pick<Transaction, 'card' | 'city' | 'time'>;

/** Where and when a card was last used. */
export interface LastUse {
  city: string;
  time: number;
}

export interface Alert {
  card: string;
  first: LastUse;
  second: LastUse;
}

/** The alert for card `card` used at `now` after `last`, or undefined: a different city at most ten minutes later. */
export function secondCityAlert(card: string, last: LastUse | undefined, now: LastUse): Alert | undefined {
  if (last === undefined || last.city === now.city || now.time - last.time > TEN_MINUTES) return undefined;
  return { card, first: last, second: now };
}

export class TwoCitiesWithinTenMinutes extends KeyedProcessFunction<string, CardUse, Alert> {
  private lastUse!: ValueState<LastUse>;

  override open(rt: RuntimeContext): void {
    this.lastUse = rt.getState(new ValueStateDescriptor<LastUse>('last-use'));
  }

  processElement(use: CardUse, ctx: KeyedContext<string>, out: Collector<Alert>): void {
    const now: LastUse = { city: use.city, time: ctx.timestamp! };
    const last = this.lastUse.value();
    // The timer clears the state only once the watermark passes it, and the watermark may lag
    // behind the records: the time check in the rule is what decides.
    const alert = secondCityAlert(ctx.getCurrentKey(), last, now);
    if (alert !== undefined) out.collect(alert);
    if (last !== undefined) ctx.timerService().deleteEventTimeTimer(last.time + TEN_MINUTES);
    this.lastUse.update(now);
    ctx.timerService().registerEventTimeTimer(now.time + TEN_MINUTES);
  }

  /** Ten minutes of event time without a payment: forget the card (its key leaves no state behind). */
  override onTimer(_timestamp: number, _ctx: OnTimerContext<string>, _out: Collector<Alert>): void {
    this.lastUse.clear();
  }
}
