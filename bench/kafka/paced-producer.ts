// Writes readings to a topic at a steady rate of wall time with kafkajs, each stamped with the
// moment it is handed to the producer: the input of the Kafka latency runs.

import { setTimeout as sleep } from 'node:timers/promises';
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
 * Sends the records due every 10 ms (reading n to partition n % partitions, acks -1) without
 * waiting for earlier sends; resolves with the count once every one is acknowledged.
 */
export async function producePaced({ brokers, topic, partitions, rate, seconds }: PacedProduce): Promise<number> {
  const producer = benchKafka(brokers).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const total = Math.round(rate * seconds);
    const acknowledged: Promise<unknown>[] = [];
    const started = nowMs();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((nowMs() - started) / 1000) * rate));
      if (due > sent) {
        const messages = [];
        for (; sent < due; sent++) messages.push({ partition: sent % partitions, value: JSON.stringify(reading(sent, nowMs())) });
        const send = producer.send({ topic, acks: -1, messages });
        send.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
        acknowledged.push(send);
      }
      await sleep(10);
    }
    await Promise.all(acknowledged);
    return total;
  } finally {
    await producer.disconnect();
  }
}
