import { JSONCodec } from 'nats';
import { discoveryEventSubject, SUBJECTS, type Caller } from '@clp/contracts';
import { waitFor } from '@clp/testing';
import { result, startRegistryHarness, type RegistryHarness } from '../registry.fixtures';
import { report as discoveryReport } from './discovery-reports.fixtures';

const R = SUBJECTS.registry;
const operator: Caller = { organization_id: 'org-d', user_id: 'olivia', role: 'operator' };
const admin: Caller = { ...operator, user_id: 'ada', role: 'admin' };

describe('a report repeated after the resource was deleted (real NATS and Redis)', () => {
  let h: RegistryHarness;

  beforeAll(async () => {
    h = await startRegistryHarness({ instanceName: 'registry-rediscovery' });
  });
  afterAll(() => h?.stop());

  it('becomes a new connection, though it has the report id that created the deleted one', async () => {
    // Scans repeat their report ids: a later scan publishes the same report again (past the discovery
    // stream's duplicate window), while the first decision is still in the event store's.
    const report = discoveryReport(4242, operator.organization_id);
    const publish = () => h.nc.jetstream().publish(discoveryEventSubject('prometheus'), JSONCodec().encode(report));
    const live = async () =>
      result(await h.api.request(R.listConnections, { caller: operator, name: 'prom-4242' })).connections.find((c) => c.status === 'discovered');
    await publish();
    const first = await waitFor(live, { message: 'the first connection' });
    result(await h.api.request(R.transition, { caller: admin, connection_id: first.id, status: 'deleted', cause: 'user' }));
    await publish();
    const second = await waitFor(async () => {
      const found = await live();
      return found && found.id !== first.id ? found : undefined;
    }, { message: 'a second connection' });
    const history = result(await h.api.request(R.connectionHistory, { caller: operator, connection_id: second.id }));
    expect(history.events.map((e) => e.type)).toEqual(['ConnectionDiscovered']);
  });
});
