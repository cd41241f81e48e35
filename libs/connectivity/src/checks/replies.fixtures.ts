import type { HttpGet, HttpReply } from '../http-session';

type Route = Omit<Partial<HttpReply>, 'text'> & { body?: unknown };

/** A scripted `HttpGet`: answers each path (or absolute URL without query) from `routes`, 404 otherwise, and records the calls. */
export const scriptedGet = (routes: Record<string, Route | ((headers: Record<string, string>) => Route)>) => {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  const get: HttpGet = async (url, headers = {}) => {
    calls.push({ url, headers });
    const key = url.split('?')[0] ?? url;
    const found = routes[key];
    const route = typeof found === 'function' ? found(headers) : (found ?? { status: 404 });
    const text = route.body === undefined ? '' : typeof route.body === 'string' ? route.body : JSON.stringify(route.body);
    return { status: route.status ?? 200, headers: route.headers ?? {}, text, path: new URL(key, 'http://x').pathname };
  };
  return { get, calls };
};
