import { Alert, Box, Button, MenuItem, Paper, TextField, Typography } from '@mui/material';
import { useEffect, useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@clp/contracts';
import { anonymous, messageOf, request } from '../lib/api';
import { sessionOf, type Session } from '../lib/session';

/**
 * With the gateway's dev login on (DEV_LOGIN=true, never in production): pick an organization, a
 * user and a role, and the gateway makes the token. Shown only when the gateway says it is on.
 */
const DevLogin = ({ onToken, busy }: { onToken: (token: string) => Promise<void>; busy: boolean }) => {
  const [enabled, setEnabled] = useState(false);
  const [organization, setOrganization] = useState('default');
  const [user, setUser] = useState('me');
  const [role, setRole] = useState<Role>('admin');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    // An older gateway has no such route: no dev login then, and nothing to say about it.
    anonymous<{ enabled: boolean }>('GET', '/api/auth/dev-login').then(
      (status) => current && setEnabled(status.enabled),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  if (!enabled) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { token } = await anonymous<{ token: string }>('POST', '/api/auth/dev-login', { organization_id: organization.trim(), user_id: user.trim(), role });
      await onToken(token);
    } catch (refused) {
      setError(messageOf(refused));
    }
  };
  return (
    <Paper component="form" onSubmit={submit} aria-label="Dev login" sx={{ p: 4, width: '100%', maxWidth: 560, display: 'grid', gap: 2 }}>
      <Typography variant="h6" component="h2">
        Dev login
      </Typography>
      <Typography variant="body2" color="text.secondary">
        This gateway runs with <code>DEV_LOGIN=true</code>: pick who to be.
      </Typography>
      <TextField label="Organization" value={organization} onChange={(event) => setOrganization(event.target.value)} required />
      <TextField label="User" value={user} onChange={(event) => setUser(event.target.value)} required />
      <TextField select label="Role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
        {ROLES.map((option) => (
          <MenuItem key={option} value={option}>
            {option}
          </MenuItem>
        ))}
      </TextField>
      {error && <Alert severity="error">{error}</Alert>}
      <Button type="submit" variant="outlined" disabled={busy || !organization.trim() || !user.trim()}>
        Sign in as {user.trim() || '…'} ({role})
      </Button>
    </Paper>
  );
};

/**
 * Paste a token (`npm run --silent token -- --org ORG --user USER --role ROLE`): the UI reads who
 * it names and asks the API once, so a token the gateway refuses is refused here with its message.
 */
export const SignIn = ({ onSignedIn }: { onSignedIn: (session: Session) => void }) => {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Keeps a token once the API takes it; a refusal is shown where it was given. */
  const signIn = async (raw: string, showError: (message: string) => void) => {
    const session = sessionOf(raw);
    if ('error' in session) return showError(session.error);
    setBusy(true);
    try {
      await request(session.token, 'GET', '/api/integrations/connections/status');
      onSignedIn(session);
    } catch (refused) {
      showError(messageOf(refused));
    } finally {
      setBusy(false);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await signIn(token, setError);
  };
  return (
    <Box component="main" sx={{ display: 'grid', placeItems: 'center', alignContent: 'center', gap: 2, minHeight: '100vh', p: 2 }}>
      <Paper component="form" onSubmit={submit} sx={{ p: 4, width: '100%', maxWidth: 560, display: 'grid', gap: 2 }}>
        <Typography variant="h5" component="h1">
          Sign in
        </Typography>
        <Typography variant="body2" color="text.secondary">
          Paste a bearer token. On a local system: <code>npm run --silent token -- --org ORG --user USER --role viewer|operator|admin</code>
        </Typography>
        <TextField
          label="Token"
          value={token}
          onChange={(event) => (setToken(event.target.value), setError(null))}
          multiline
          minRows={3}
          autoFocus
          required
          slotProps={{ htmlInput: { 'aria-label': 'Token', spellCheck: false } }}
        />
        {error && <Alert severity="error">{error}</Alert>}
        <Button type="submit" variant="contained" disabled={busy || !token.trim()}>
          Sign in
        </Button>
      </Paper>
      <DevLogin
        busy={busy}
        onToken={(devToken) =>
          signIn(devToken, (message) => {
            throw new Error(message);
          })
        }
      />
    </Box>
  );
};
