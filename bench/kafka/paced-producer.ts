// Writes readings to a topic at a steady rate of wall time with kafkajs, each stamped with the
// moment it is handed to the producer: the input of the Kafka latency runs.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from 'kafkajs';
import { nowMs } from '../utils/clock.js';
import { reading } from './records.js';
import { benchKafka } from './topics.js';

export interface PacedProduce {
  brokers: string[];
  topic: string;
  partitions: number;
  /** Records per second. */
  rate: number;
  seconds: number;
}

/**
 * Hands the records due every 10 ms (reading n to partition n % partitions) to an idempotent
 * producer (acks -1), one send in flight: records due while one is in flight go in the next.
 * Idempotent, because kafkajs resends a whole request when one partition of a new topic is not
 * ready, which would write the others twice; kafkajs's idempotence holds for one send in flight.
 * Resolves with the count once every one is acknowledged.
 */
export async function producePaced({ brokers, topic, partitions, rate, seconds }: PacedProduce): Promise<number> {
  const producer = benchKafka(brokers).producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const total = Math.round(rate * seconds);
    let waiting: Message[] = [];
    let inFlight: Promise<void> | undefined;
    let failure: { error: unknown } | undefined;
    const sendWaiting = (): void => {
      if (inFlight !== undefined || waiting.length === 0 || failure !== undefined) return;
      const messages = waiting;
      waiting = [];
      inFlight = producer.send({ topic, acks: -1, messages }).then(
        () => {
          inFlight = undefined;
          sendWaiting();
        },
        (error: unknown) => {
          failure = { error };
          inFlight = undefined;
        },
      );
    };
    const started = nowMs();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((nowMs() - started) / 1000) * rate));
      for (; sent < due; sent++) waiting.push({ partition: sent % partitions, value: JSON.stringify(reading(sent, nowMs())) });
      sendWaiting();
      await sleep(10);
    }
    while (failure === undefined && (inFlight !== undefined || waiting.length > 0)) {
      sendWaiting();
      await inFlight;
    }
    if (failure !== undefined) throw failure.error;
    return total;
  } finally {
    await producer.disconnect();
  }
}
