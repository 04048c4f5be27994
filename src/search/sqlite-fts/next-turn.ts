/** Resolves on the next turn of the event loop, so long loads let requests run in between. */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
