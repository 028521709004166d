import type { SupervisorEvent } from "./types.js";

export type EventHandler = (e: SupervisorEvent) => void;

/**
 * A synchronous, typed publish/subscribe bus. Handlers run in subscription order inside emit(),
 * so a subscriber sees events in exactly the order the core produced them. A throwing handler
 * is isolated (reported through onError) so one bad subscriber cannot break the core.
 *
 * The handler list is copy-on-write: emit() walks the array it started with, so a handler may
 * (un)subscribe during an emit without the emit paying for a copy every time.
 */
export class EventBus {
  private handlers: readonly EventHandler[] = [];
  constructor(private readonly onError: (err: unknown) => void = (err) => queueMicrotask(() => { throw err; })) {}

  subscribe(handler: EventHandler): () => void {
    this.handlers = [...this.handlers, handler];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const i = this.handlers.indexOf(handler);
      if (i >= 0) this.handlers = [...this.handlers.slice(0, i), ...this.handlers.slice(i + 1)];
    };
  }

  emit(event: SupervisorEvent): void {
    const handlers = this.handlers;
    for (let i = 0; i < handlers.length; i++) {
      try {
        handlers[i](event);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
