import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { waitFor } from '@clp/testing';

export interface SseEvent {
  id: string;
  data: string;
}

/** A server-sent events client over plain HTTP, as a browser's EventSource reads the stream. */
export interface SseClient {
  status: number;
  readonly events: SseEvent[];
  /** Comment lines received (keep-alives). */
  readonly comments: string[];
  readonly ended: boolean;
  /** Waits until at least `n` events arrived. */
  waitForEvents(n: number, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * Opens the stream; resolves once the answer's head arrived (any status: a refusal is read as
 * JSON text). `tokenIn: 'query'` sends the token as `access_token`, as a browser's EventSource must.
 */
export const openSse = (
  url: string,
  token: string,
  lastEventId?: string,
  { tokenIn = 'header' }: { tokenIn?: 'header' | 'query' } = {},
): Promise<SseClient & { body?: string }> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (tokenIn === 'header') headers.authorization = `Bearer ${token}`;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const target = tokenIn === 'query' ? `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}` : url;
    const req: ClientRequest = request(target, { headers });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      let ended = false;
      let buffer = '';
      let current: Partial<SseEvent> = {};
      res.setEncoding('utf8');
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
      const client = {
        status: res.statusCode ?? 0,
        events,
        comments,
        get ended() {
          return ended;
        },
        waitForEvents: async (n: number, timeoutMs = 20_000) => {
          await waitFor(() => events.length >= n, { timeoutMs, message: `${n} events (got ${events.length})` });
        },
        close: () => void req.destroy(),
      };
      if (client.status !== 200) {
        let body = '';
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ ...client, body }));
        return;
      }
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data !== undefined) events.push({ id: current.id ?? '', data: current.data });
            current = {};
          } else if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else if (line.startsWith('id: ')) current.id = line.slice(4);
          else if (line.startsWith('data: ')) current.data = (current.data === undefined ? '' : `${current.data}\n`) + line.slice(6);
        }
      });
      resolve(client);
    });
    req.end();
  });
