import { createContext, useContext } from 'react';
import type { Session } from './lib/session';

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session: every page under the app bar has one. */
export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
};
