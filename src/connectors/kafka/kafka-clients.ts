// Where the Kafka connectors get the clients they talk to brokers through: eddy's read client and a
// kafkajs producer. Replaceable per thread behind the same interfaces, so that a benchmark can
// measure what another client (or one that costs nothing) would give; not part of the public API.

import type { Producer, ProducerConfig } from 'kafkajs';
import { createKafka } from './kafka-connection.js';
import { KafkaReadClient } from './kafka-read-client.js';

/** What the source reader uses of a read client. */
export type ReadClient = Pick<KafkaReadClient, 'connect' | 'close' | 'partitionsOf' | 'offsetsAt' | 'committedOffsets' | 'commitOffsets' | 'fetch'>;

/** What the sink without transactions uses of a producer. */
export type PlainProducer = Pick<Producer, 'connect' | 'sendBatch' | 'disconnect'>;

export interface KafkaClients {
  readClient(brokers: readonly string[], clientId: string): ReadClient;
  plainProducer(brokers: readonly string[], clientId: string, config: ProducerConfig): PlainProducer;
}

const kafkajsClients: KafkaClients = {
  readClient: (brokers, clientId) => new KafkaReadClient(createKafka(brokers, clientId)),
  plainProducer: (brokers, clientId, config) => createKafka(brokers, clientId).producer(config),
};

let current = kafkajsClients;

/** The clients of this thread: kafkajs's unless replaced. */
export function kafkaClients(): KafkaClients {
  return current;
}

/** Replaces the clients the connectors create from now on in this thread (a job does it in each worker). */
export function replaceKafkaClients(clients: KafkaClients): void {
  current = clients;
}
