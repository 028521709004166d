/**
 * A small typed listener registry. Unlike node:events, an `error` nobody listens to is not
 * thrown: an event stream reports its connection failures as `error`s and carries on
 * reconnecting, which must not crash a program that only listens to `message`. A listener that
 * throws does not keep the others from running; its exception is rethrown on its own turn, so it
 * still surfaces as an uncaught exception, as with node:events.
 */
export type Listener<A extends readonly unknown[]> = (...args: A) => void;

export class TypedEmitter<E extends { [K in keyof E]: readonly unknown[] }> {
  private readonly listeners = new Map<keyof E, Set<Listener<never[]>>>();

  on<K extends keyof E>(type: K, listener: Listener<E[K]>): this {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as unknown as Listener<never[]>);
    return this;
  }

  off<K extends keyof E>(type: K, listener: Listener<E[K]>): this {
    this.listeners.get(type)?.delete(listener as unknown as Listener<never[]>);
    return this;
  }

  once<K extends keyof E>(type: K, listener: Listener<E[K]>): this {
    const wrapper: Listener<E[K]> = (...args) => {
      this.off(type, wrapper);
      listener(...args);
    };
    return this.on(type, wrapper);
  }

  protected emit<K extends keyof E>(type: K, ...args: E[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as unknown as Listener<E[K]>)(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
