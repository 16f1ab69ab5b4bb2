// Makes each `ws` socket reuse one array for the pieces of an incoming message, instead of the new
// array `ws` starts after every message. Changes how `ws` allocates, never what it parses or emits.
//
// Why: `ws` (8.x) replaces a socket's fragment array after each message, and the new array lives
// until that socket's next message, seconds later. So each one outlives two young-generation
// collections and is promoted to the old generation, where the next message's push gives it a backing
// store there too. With 10,000 visitor sockets at 2,000 msg/s that was about 1 MB of old generation a
// second (a sampling heap profile of what survived a scavenge: 9.5–20 MB per 10 s step, more than
// half of it these arrays; 2.1–4.2 MB with them reused), and that growth is what brings on the full
// collections whose pauses and marking were among the worst spikes in chat latency.
import * as ws from 'ws';

interface ReceiverFragments {
  _fragments?: unknown[];
  _binaryType?: string;
}

type DataMessage = (this: ReceiverFragments, cb: unknown) => void;

/** ws exports its frame parser, but its type declarations do not describe it. */
const { Receiver } = ws as unknown as { Receiver?: { prototype: { dataMessage?: DataMessage } } };

let installed = false;

/** Idempotent. Does nothing if this `ws` has no `dataMessage` to wrap (a version with other internals). */
export function reuseWsFragmentArrays(): boolean {
  if (installed) return true;
  const prototype = Receiver?.prototype;
  const original = prototype?.dataMessage;
  if (!prototype || typeof original !== 'function') return false;
  prototype.dataMessage = function dataMessage(this: ReceiverFragments, cb: unknown) {
    const fragments = this._fragments;
    original.call(this, cb);
    // A finished message had its fragments copied out (or passed through as the one Buffer they
    // were) before `ws` emitted it, so the old array can be emptied and kept. Only binaryType
    // 'fragments' hands the array itself to the listener; none of Parley's sockets use it.
    if (Array.isArray(fragments) && this._fragments !== fragments && this._binaryType !== 'fragments') {
      fragments.length = 0;
      this._fragments = fragments;
    }
  };
  installed = true;
  return true;
}
