// The Kafka suite's records: 1 KB JSON sensor readings, and the map every pipeline applies to them
// (the kafkajs loop and the eddy job alike).

export interface Reading {
  id: number;
  sensor: string;
  /** When the reading was produced (epoch ms): the latency runs measure from it. */
  time: number;
  value: number;
  pad: string;
}

/** Pads a reading's JSON to about 1000 bytes. */
const PAD = 'x'.repeat(918);

export function reading(id: number, time: number): Reading {
  return { id, sensor: `sensor-${id % 1000}`, time, value: 15 + (id % 200) / 10, pad: PAD };
}

/** The pipelines' transformation: the reading in degrees Fahrenheit. */
export function toFahrenheit(r: Reading): Reading {
  return { ...r, value: r.value * 1.8 + 32 };
}
