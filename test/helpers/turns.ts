/** Counts event-loop turns (a setImmediate chain) until stopped: whether work lets the loop turn between its steps. */
export function countTurns(): { readonly turns: number; stop(): void } {
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turns() {
      return turns;
    },
    stop: () => void (ticking = false),
  };
}
