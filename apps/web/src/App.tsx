import { AppBar, Box, Button, Chip, CssBaseline, Link, ThemeProvider, Toolbar, Typography, createTheme } from '@mui/material';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from './lib/api';
import { routeOf } from './lib/routes';
import { sessionOf, type Session } from './lib/session';
import { useLiveUpdates } from './live';
import { ConnectionPage } from './pages/ConnectionPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { NotificationBell } from './pages/notifications/NotificationBell';
import { SignIn } from './pages/SignIn';
import { CredentialsPage } from './pages/credentials/CredentialsPage';
import { EnvironmentPage } from './pages/environments/EnvironmentPage';
import { EnvironmentsPage } from './pages/environments/EnvironmentsPage';
import { WorkspacePage } from './pages/environments/WorkspacePage';
import { WorkspacesPage } from './pages/environments/WorkspacesPage';
import { navigate, useLocation } from './router';
import { SessionContext } from './session-context';

const theme = createTheme({ palette: { mode: 'light', primary: { main: '#00b39f' }, secondary: { main: '#3c494f' } } });
const TOKEN_KEY = 'clp.token';

// The token lives in sessionStorage: gone with the tab, never in a URL (docs/web.md).
const storedSession = (): Session | null => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const session = sessionOf(token);
  return 'error' in session ? null : session;
};

export const App = () => {
  const [session, setSession] = useState<Session | null>(storedSession);
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            // A refused request (401, 403, 404) will not pass by asking again.
            retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
            refetchOnWindowFocus: false,
          },
        },
      }),
  );
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    client.clear();
    setSession(null);
  };
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <QueryClientProvider client={client}>
        {session ? (
          <SessionContext.Provider value={session}>
            <Shell session={session} onSignOut={signOut} />
          </SessionContext.Provider>
        ) : (
          <SignIn
            onSignedIn={(signedIn) => {
              sessionStorage.setItem(TOKEN_KEY, signedIn.token);
              setSession(signedIn);
            }}
          />
        )}
      </QueryClientProvider>
    </ThemeProvider>
  );
};

// The app bar's links besides Connections (the title).
const SECTIONS = [
  ['/environments', 'Environments'],
  ['/workspaces', 'Workspaces'],
  ['/credentials', 'Credentials'],
] as const;

const Shell = ({ session, onSignOut }: { session: Session; onSignOut: () => void }) => {
  const { path } = useLocation();
  const route = routeOf(path);
  useLiveUpdates();
  return (
    <>
      <AppBar position="static" color="secondary">
        <Toolbar sx={{ gap: 2, flexWrap: 'wrap' }}>
          <Typography variant="h6" component="div">
            <Link href="/" color="inherit" underline="none" onClick={(event) => (event.preventDefault(), navigate('/'))}>
              Connections
            </Link>
          </Typography>
          <Box component="nav" aria-label="Pages" sx={{ display: 'flex', gap: 2, flexGrow: 1, flexWrap: 'wrap' }}>
            {SECTIONS.map(([href, label]) => (
              <Link key={href} href={href} color="inherit" aria-current={path.startsWith(href) ? 'page' : undefined} onClick={(event) => (event.preventDefault(), navigate(href))}>
                {label}
              </Link>
            ))}
          </Box>
          <NotificationBell />
          <Chip
            data-testid="whoami"
            color="primary"
            label={`${session.user} · ${session.organization} · ${session.role}`}
            aria-label={`signed in as ${session.user} of ${session.organization}, role ${session.role}`}
          />
          <Button color="inherit" onClick={onSignOut}>
            Sign out
          </Button>
        </Toolbar>
      </AppBar>
      <Box component="main" sx={{ p: { xs: 1, sm: 3 }, maxWidth: 1400, mx: 'auto' }}>
        {route.page === 'connections' && <ConnectionsPage />}
        {route.page === 'connection' && <ConnectionPage id={route.id} />}
        {route.page === 'environments' && <EnvironmentsPage />}
        {route.page === 'environment' && <EnvironmentPage key={route.id} id={route.id} />}
        {route.page === 'workspaces' && <WorkspacesPage />}
        {route.page === 'workspace' && <WorkspacePage key={route.id} id={route.id} />}
        {route.page === 'credentials' && <CredentialsPage />}
        {route.page === 'not-found' && <Typography role="alert">No page at {route.path}.</Typography>}
      </Box>
    </>
  );
};
