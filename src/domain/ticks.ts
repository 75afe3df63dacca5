/** .NET ticks: 100 ns intervals since 0001-01-01T00:00:00Z, as used in legacy media names. */
const TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000n;
const TICKS_PER_MS = 10_000n;

export function ticksFromDate(date: Date): bigint {
  return BigInt(date.getTime()) * TICKS_PER_MS + TICKS_AT_UNIX_EPOCH;
}

export function dateFromTicks(ticks: bigint): Date {
  return new Date(Number((ticks - TICKS_AT_UNIX_EPOCH) / TICKS_PER_MS));
}
