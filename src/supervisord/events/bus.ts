import type { SupervisorEvent } from "./types.js";

export type EventHandler = (e: SupervisorEvent) => void;

/**
 * A synchronous, typed publish/subscribe bus. Handlers run in subscription order inside emit(),
 * so a subscriber sees events in exactly the order the core produced them. A throwing handler
 * is isolated (reported through onError) so one bad subscriber cannot break the core.
 */
export class EventBus {
  private readonly handlers: EventHandler[] = [];
  constructor(private readonly onError: (err: unknown) => void = (err) => queueMicrotask(() => { throw err; })) {}

  subscribe(handler: EventHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const i = this.handlers.indexOf(handler);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  emit(event: SupervisorEvent): void {
    for (const h of [...this.handlers]) {
      try {
        h(event);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
