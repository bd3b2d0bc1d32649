// Durations in milliseconds, named as in Flink's Time: Time.seconds(10) === 10_000.

function ms(n: number, unit: number, name: string): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new RangeError(`Time.${name}(${String(n)}): expected a finite number.`);
  return n * unit;
}

export const Time = {
  milliseconds: (n: number): number => ms(n, 1, 'milliseconds'),
  seconds: (n: number): number => ms(n, 1000, 'seconds'),
  minutes: (n: number): number => ms(n, 60_000, 'minutes'),
  hours: (n: number): number => ms(n, 3_600_000, 'hours'),
  days: (n: number): number => ms(n, 86_400_000, 'days'),
} as const;
