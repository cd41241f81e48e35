import { httpFailure, type Check } from '../check';

/** Any kind with a URL (github, istio, linkerd, consul): a 2xx or 3xx answer is enough. */
export const http: Check = {
  describe: (url) => `GET ${url}`,
  run: async (get) => {
    const reply = await get('');
    if (reply.status >= 200 && reply.status < 400) return { status: reply.status };
    throw httpFailure(reply);
  },
};
