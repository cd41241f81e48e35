import { useSyncExternalStore } from 'react';

// The page's address is the UI's state (routes.ts): pushState, and a 'popstate' for every change.
const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
};
const current = () => window.location.pathname + window.location.search;

/** The path and query string of the page, kept current on navigation and on Back/Forward. */
export const useLocation = (): { path: string; query: string } => {
  const href = useSyncExternalStore(subscribe, current);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, query: url.search };
};

/** Goes to `href` without a reload; `replace` for changes that need no Back step (typing in search). */
export const navigate = (href: string, replace = false): void => {
  if (href === current()) return;
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
};
