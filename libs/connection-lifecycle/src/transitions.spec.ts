import { STATUSES } from '@clp/contracts';
import { deciderSpec } from '@clp/testing';
import { connectionDecider } from './decider';
import { ID, historyFor, meta, passed, request } from './connection.fixtures';
import { allowedTransitions, isManaged, needsConnectivityTest } from './transitions';

// design.md §6.2, copied verbatim: the test reads the specification, not the code's table.
const DESIGN_TABLE = `
| from \\ to | discovered | registered | connected | ignored | maintenance | disconnected | deleted | not found |
|---|---|---|---|---|---|---|---|---|
| discovered | – | U S | – | U | – | – | U | S |
| registered | – | – | U S¹ | U | U | – | U | S |
| connected | – | – | – | U | U | U S | U | – |
| ignored | – | U | – | – | – | – | U | – |
| maintenance | – | – | U | – | – | U | U | – |
| disconnected | – | – | U S² | – | – | – | U | – |
| not found | S | U S | – | – | – | – | U | – |
| deleted | – | – | – | – | – | – | – | – |
`;

type Cell = { user: boolean; system: boolean; note?: '1' | '2' };

const parseTable = (text: string): Map<string, Cell> => {
  const rows = text
    .trim()
    .split('\n')
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
  const targets = rows[0].slice(1);
  const cells = new Map<string, Cell>();
  for (const row of rows.slice(2)) {
    row.slice(1).forEach((cell, i) => {
      cells.set(`${row[0]}->${targets[i]}`, {
        user: /\bU\b/.test(cell),
        system: /S/.test(cell),
        note: cell.includes('¹') ? '1' : cell.includes('²') ? '2' : undefined,
      });
    });
  }
  return cells;
};

const table = parseTable(DESIGN_TABLE);
const { given } = deciderSpec(connectionDecider);

describe('the transition table of design.md §6.2', () => {
  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));

  it('has 64 (from, to) pairs, every one of them in the design table', () => {
    expect(pairs).toHaveLength(64);
    expect(table.size).toBe(64);
    for (const [from, to] of pairs) expect(table.has(`${from}->${to}`)).toBe(true);
  });

  for (const cause of ['user', 'system'] as const) {
    describe(`cause ${cause}`, () => {
      it.each(pairs)(`%s -> %s`, (from, to) => {
        const cell = table.get(`${from}->${to}`)!;
        // The notes' conditions hold here; the next tests check them failing.
        const allowed = cause === 'user' ? cell.user : cell.system;
        const history = historyFor(from, 'system');
        const command = request(to, cause, { auto_connect: true });
        const expectedAllowed = STATUSES.filter((target) => {
          const c = table.get(`${from}->${target}`)!;
          return cause === 'user' ? c.user : c.system;
        });

        if (allowed) {
          const events = given(history).when(command).events();
          const changes = events.filter((e) => e.type === 'StatusChanged');
          expect(changes).toEqual([
            {
              type: 'StatusChanged',
              data: expect.objectContaining({ connection_id: ID, from, to, cause, actor: meta(cause).actor.id, reason: 'test' }),
            },
          ]);
          expect(events.map((e) => e.type)).toEqual(to === 'deleted' ? ['StatusChanged', 'ConnectionDeleted'] : ['StatusChanged']);
        } else {
          given(history)
            .when(command)
            .thenThrows({ code: 'invalid_transition', details: { from, to, cause, allowed: expectedAllowed } });
        }
        expect(allowedTransitions(from, cause, { auto_connect: true, disconnected_by: 'system' })).toEqual(expectedAllowed);
      });
    });
  }

  it('deleted accepts nothing, from anyone', () => {
    for (const cause of ['user', 'system'] as const) {
      expect(allowedTransitions('deleted', cause, { auto_connect: true, disconnected_by: 'system' })).toEqual([]);
      for (const to of STATUSES) {
        given(historyFor('deleted')).when(request(to, cause)).thenThrows({ code: 'invalid_transition', details: { allowed: [] } });
      }
    }
  });
});

describe('the cause rules', () => {
  it('note 1: the system connects a registered connection only when its kind auto-connects', () => {
    given(historyFor('registered'))
      .when(request('connected', 'system', { auto_connect: false }))
      .thenThrows({ code: 'invalid_transition', details: { allowed: ['not found'] } });
    expect(given(historyFor('registered')).when(request('connected', 'system', { auto_connect: true })).events()).toHaveLength(1);
  });

  it('note 2: the system never undoes a disconnect a person made', () => {
    given(historyFor('disconnected', 'user'))
      .when(request('connected', 'system'))
      .thenThrows({ code: 'invalid_transition', details: { from: 'disconnected', allowed: [] } });
    given(historyFor('disconnected', 'system'))
      .when(request('connected', 'system'))
      .then([
        {
          type: 'StatusChanged',
          data: {
            connection_id: ID,
            organization_id: 'org-1',
            kind: 'prometheus',
            name: 'prom',
            from: 'disconnected',
            to: 'connected',
            cause: 'system',
            actor: 'health-monitor',
            reason: 'test',
            probe: passed,
          },
        },
      ]);
    // A person may reconnect either way.
    expect(given(historyFor('disconnected', 'user')).when(request('connected', 'user')).events()).toHaveLength(1);
  });

  it('a disconnect made by a person is not managed by the health monitor; one made by the system is', () => {
    expect(isManaged('disconnected', { disconnected_by: 'user' })).toBe(false);
    expect(isManaged('disconnected', { disconnected_by: 'system' })).toBe(true);
    expect(isManaged('maintenance')).toBe(false);
    expect(isManaged('ignored')).toBe(false);
    expect(STATUSES.filter((s) => isManaged(s))).toEqual(['discovered', 'registered', 'connected', 'not found']);
  });

  it('a person entering registered or connected needs a passed connectivity test, unless skipped', () => {
    expect(needsConnectivityTest('connected', 'user')).toBe(true);
    expect(needsConnectivityTest('connected', 'system')).toBe(false);
    const failed = { ...passed, ok: false, error: 'connection refused' };
    given(historyFor('discovered'))
      .when(request('registered', 'user', { probe: failed }))
      .thenThrows({ code: 'connectivity_failed', details: { probe: failed } });
    given(historyFor('discovered')).when(request('registered', 'user', { probe: undefined })).thenThrows({ code: 'connectivity_failed' });
    expect(
      given(historyFor('discovered')).when(request('registered', 'user', { probe: undefined, skip_connectivity_test: true })).events(),
    ).toHaveLength(1);
  });
});
