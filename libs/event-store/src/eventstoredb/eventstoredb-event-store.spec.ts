import { checkpointToPosition, positionToCheckpoint } from './eventstoredb-event-store';

// The adapter's I/O runs in the contract suite whenever EVENTSTORE_CONNECTION_STRING is set;
// here, the mapping of EventStoreDB's $all positions to checkpoints that sort as strings.
describe('EventStoreDB positions as checkpoints', () => {
  it('round-trips 64-bit positions', () => {
    const position = { commit: 18_446_744_073_709_551_000n, prepare: 18_446_744_073_709_550_999n };
    expect(checkpointToPosition(positionToCheckpoint(position))).toEqual(position);
  });

  it('sorts as the positions do', () => {
    const positions = [
      { commit: 9n, prepare: 9n },
      { commit: 10n, prepare: 3n },
      { commit: 10n, prepare: 10n },
      { commit: 123_456_789_012n, prepare: 1n },
    ];
    const checkpoints = positions.map(positionToCheckpoint);
    expect([...checkpoints].sort()).toEqual(checkpoints);
  });
});
