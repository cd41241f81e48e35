import type { ConnectionDefinition } from '@clp/contracts';
import { canChange, transitionsFor } from './transitions';

const definition: Pick<ConnectionDefinition, 'allowed_transitions'> = {
  allowed_transitions: {
    registered: { user: ['connected', 'ignored', 'maintenance', 'deleted'], system: ['not found'] },
    connected: { user: ['disconnected', 'maintenance', 'deleted'], system: ['disconnected'] },
    deleted: { user: [], system: [] },
  },
};

describe('the transitions menu', () => {
  it("offers exactly the definition's user transitions from the status, not the system's", () => {
    expect(transitionsFor(definition, 'registered', 'admin')).toEqual(['connected', 'ignored', 'maintenance', 'deleted']);
    expect(transitionsFor(definition, 'connected', 'admin')).toEqual(['disconnected', 'maintenance', 'deleted']);
  });

  it('offers nothing from a status the definition allows nothing from, or does not list', () => {
    expect(transitionsFor(definition, 'deleted', 'admin')).toEqual([]);
    expect(transitionsFor(definition, 'discovered', 'admin')).toEqual([]);
    expect(transitionsFor(undefined, 'registered', 'admin')).toEqual([]);
  });

  it('hides what the role cannot ask for: a viewer nothing, an operator no deletion', () => {
    expect(transitionsFor(definition, 'registered', 'viewer')).toEqual([]);
    expect(transitionsFor(definition, 'registered', 'operator')).toEqual(['connected', 'ignored', 'maintenance']);
    expect([canChange('viewer'), canChange('operator'), canChange('admin')]).toEqual([false, true, true]);
  });
});
