/**
 * Resolves after the event loop's pending I/O callbacks (setImmediate): background work on
 * SQLite, whose statements never yield, awaits it between its steps so a reader's request
 * waits for one step, not for the whole batch (the SQLite soak's 0.5–1.3 s stalls were the
 * job runner refreshing neighbour lists back to back).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
