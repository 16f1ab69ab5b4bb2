import { afterEach, describe, expect, it } from 'vitest';
import { NotifyTabs, type TabLocks } from './notifyTabs';

/** Web Locks as the browser grants them: one holder per name, the others queued in order. */
class FakeLocks implements TabLocks {
  private held = new Set<string>();
  private queue: { name: string; signal: AbortSignal; grant: () => void }[] = [];

  request(name: string, { signal }: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        this.held.add(name);
        void callback().then(() => {
          this.held.delete(name);
          resolve(undefined);
          this.next(name);
        });
      };
      signal.addEventListener('abort', () => {
        const waiting = this.queue.findIndex((q) => q.grant === grant);
        if (waiting >= 0) {
          this.queue.splice(waiting, 1);
          reject(new DOMException('aborted', 'AbortError'));
        }
      });
      if (this.held.has(name)) this.queue.push({ name, signal, grant });
      else grant();
    });
  }

  private next(name: string) {
    const waiting = this.queue.findIndex((q) => q.name === name);
    if (waiting >= 0) this.queue.splice(waiting, 1)[0]!.grant();
  }
}

const tabs: NotifyTabs[] = [];
afterEach(() => {
  tabs.splice(0).forEach((t) => t.stop());
});

const openTab = (locks: TabLocks | null, agentId = 1) => {
  const tab = new NotifyTabs(agentId, { locks });
  tabs.push(tab);
  tab.start();
  return tab;
};

/** BroadcastChannel delivers on a later turn of the event loop. */
const delivered = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('one agent, several tabs', () => {
  it('lets exactly one tab alert, and hands over to the next when it closes', async () => {
    const locks = new FakeLocks();
    const first = openTab(locks);
    const second = openTab(locks);
    await delivered();
    expect([first.leader, second.leader]).toEqual([true, false]);

    first.stop();
    await delivered();
    expect(second.leader).toBe(true);
  });

  it('keeps one leader per agent: another agent’s tabs have their own', async () => {
    const locks = new FakeLocks();
    const grace = openTab(locks, 1);
    const linus = openTab(locks, 2);
    await delivered();
    expect([grace.leader, linus.leader]).toEqual([true, true]);
  });

  it('tells the alerting tab which conversations the others show, including tabs opened later', async () => {
    const locks = new FakeLocks();
    const leader = openTab(locks);
    const other = openTab(locks);
    other.setWatching(7);
    await delivered();
    expect([...leader.watching()]).toEqual([7]);

    const late = openTab(locks); // asks the others what they show
    await delivered();
    expect([...late.watching()]).toEqual([7]);

    other.setWatching(null);
    await delivered();
    expect([...leader.watching()]).toEqual([]);
    other.setWatching(9);
    await delivered();
    other.stop();
    await delivered();
    expect([...leader.watching()]).toEqual([]);
  });

  it('alerts from every tab where the browser has no Web Locks (each is its own leader)', () => {
    expect(openTab(null).leader).toBe(true);
  });
});
