import { connect, type NatsConnection } from 'nats';
import { startNats, type TestServer } from '@clp/testing';
import { describeEventStoreContract } from './event-store.contract';
import { EventStoreDBEventStore } from './eventstoredb/eventstoredb-event-store';
import { JetStreamEventStore } from './jetstream/jetstream-event-store';

describeEventStoreContract('JetStream on a real nats-server', async () => {
  const server: TestServer = await startNats();
  const nc: NatsConnection = await connect({ servers: server.url });
  const store = await JetStreamEventStore.create(nc, { context: 'contract' });
  return {
    store,
    close: async () => {
      await nc.close();
      await server.stop();
    },
  };
});

// No EventStoreDB server can be installed on these machines; where one runs (docker compose up
// eventstoredb), `EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false npm test` runs
// the same suite against it.
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (connectionString) {
  describeEventStoreContract(`EventStoreDB at ${connectionString}`, async () => {
    const store = EventStoreDBEventStore.fromConnectionString(connectionString);
    return { store, close: () => store.close() };
  });
}
