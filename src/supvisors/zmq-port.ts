/**
 * Binding and freeing a ZeroMQ PUB port so that a restart in place (sreload, SIGHUP,
 * supervisor.restart) can bind it again at once: close() alone gives the port back later, in
 * ZeroMQ's I/O thread, and the restarted daemon would find its own port taken.
 */
interface Bindable {
  bind(address: string): Promise<void>;
  unbind(address: string): Promise<void>;
  close(): void;
}

/** Retries while the port is still held a moment (EADDRINUSE), for at most BIND_GRACE_MS. */
const BIND_GRACE_MS = 1000;

export async function bindSoon(pub: Pick<Bindable, "bind">, address: string): Promise<void> {
  const end = Date.now() + BIND_GRACE_MS;
  for (;;) {
    try {
      return await pub.bind(address);
    } catch (err) {
      if (!/in use/i.test((err as Error).message) || Date.now() >= end) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Unbinds (resolving once the port is free), then closes. */
export async function closeFreeing(pub: Bindable, address: string): Promise<void> {
  await pub.unbind(address).catch(() => undefined);
  pub.close();
}
