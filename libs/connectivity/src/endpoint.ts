/** The URL as it may be shown: without userinfo, nor the query, where API keys often travel. */
export const publicUrl = (url: URL): string => `${url.protocol}//${url.host}${url.pathname}`;

/**
 * A path under the target's URL, keeping its own path as a prefix (an API server behind a proxy
 * lives at `https://rancher/k8s/clusters/c-1`), or an absolute URL as is (a registry's token realm).
 * Userinfo never goes on the wire in the URL: it travels as the Authorization header.
 */
export const endpointUrl = (base: URL, pathOrUrl: string): URL => {
  const url = /^https?:\/\//i.test(pathOrUrl)
    ? new URL(pathOrUrl)
    : new URL(pathOrUrl === '' ? base.href : `${base.origin}${base.pathname.replace(/\/+$/, '')}${pathOrUrl}`);
  url.username = '';
  url.password = '';
  return url;
};
