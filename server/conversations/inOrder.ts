// Steps that read the store before they send frames, run one after another in the order they were
// queued: with asynchronous reads, two events' frames could otherwise go out in the order their reads
// happened to finish (a message before the one stored ahead of it, "offline" before "online").

/** A queue: `run(step)` starts `step` once every step queued before it has settled, and resolves as it does. */
export function inOrder(): <T>(step: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(step: () => Promise<T>): Promise<T> => {
    const result = tail.then(step);
    // One step's failure is its caller's to handle; the next step runs regardless.
    tail = result.catch(() => undefined);
    return result;
  };
}
