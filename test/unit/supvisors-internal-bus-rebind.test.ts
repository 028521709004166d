/**
 * A restart in place (sreload, SIGHUP, supervisor.restart) closes the internal bus and binds the
 * same port again at once: close() must give the port back before it resolves, or the restarted
 * daemon finds its own port taken and exits 2 (seen once in a cluster test before the fix).
 */
import { createServer } from "node:net";
import t from "tap";
import { InternalBus } from "../../src/supvisors/cluster/internal-bus.js";
import type { InstanceIdentity } from "../../src/supvisors/types.js";

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

t.test("close() frees the internal port: 20 close/start cycles on it in a row", async (t) => {
  const port = await freePort();
  const local: InstanceIdentity = { identifier: `127.0.0.1:${port - 3}`, nick: "a0", hostId: "127.0.0.1", httpPort: port - 3, internalPort: port, eventPort: port - 2, ipAddress: "127.0.0.1" } as InstanceIdentity;
  for (let i = 0; i < 20; i++) {
    const bus = new InternalBus({ local, instances: [local], key: null, boot: `b${i}` });
    await bus.start();
    bus.publish({ kind: "tick", when: i } as never);
    await bus.close();
  }
  t.pass("every start bound the port its predecessor had just closed");
});

t.test("the ZMQ event interface frees its port the same way", async (t) => {
  const { ZmqTransport } = await import("../../src/supvisors/publish/zmq-transport.js");
  const port = await freePort();
  for (let i = 0; i < 20; i++) {
    const transport = new ZmqTransport("127.0.0.1", port);
    await transport.start();
    transport.publish("supvisors", "{}");
    await transport.close();
  }
  t.pass("every start bound the event port its predecessor had just closed");
});
