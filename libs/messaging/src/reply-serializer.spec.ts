import { errorReply } from '@clp/contracts';
import { ReplySerializer } from './nest-replies';
import { RawJson } from './raw-json';

const decoded = (packet: object) => JSON.parse(new TextDecoder().decode(new ReplySerializer().serialize(packet).data));

describe('reply packets', () => {
  it("wraps a handler's value as { result }, keeping the packet's id and state", () => {
    expect(decoded({ id: 'r1', response: { a: [1, 'b'] }, isDisposed: true })).toEqual({ id: 'r1', isDisposed: true, response: { result: { a: [1, 'b'] } } });
  });

  it('passes an error reply as it is', () => {
    const error = errorReply('not_found', 'connection not found');
    expect(decoded({ id: 'r2', response: error, isDisposed: true })).toEqual({ id: 'r2', isDisposed: true, response: error });
  });

  it('splices a serialized result in without changing it', () => {
    const page = { connections: [{ connection_id: 'c1', metadata: { url: 'http://x' } }], total_count: 1 };
    expect(decoded({ id: 'r3', response: new RawJson(JSON.stringify(page)), isDisposed: true })).toEqual({ id: 'r3', isDisposed: true, response: { result: page } });
  });

  it('splices bytes in as bytes', () => {
    const page = { connections: [{ name: 'Zürich ✓' }], total_count: 1 };
    expect(decoded({ id: 'r5', response: new RawJson(Buffer.from(JSON.stringify(page))), isDisposed: true })).toEqual({
      id: 'r5',
      isDisposed: true,
      response: { result: page },
    });
  });

  it('leaves a packet without a response alone', () => {
    expect(decoded({ id: 'r4', err: 'There is no matching message handler defined in the remote service.', status: 'error' })).toEqual({
      id: 'r4',
      err: 'There is no matching message handler defined in the remote service.',
      status: 'error',
    });
  });
});
