import { Alert, Box, Button, Paper, TextField, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { messageOf, request } from '../lib/api';
import { sessionOf, type Session } from '../lib/session';

/**
 * Paste a token (`npm run --silent token -- --org ORG --user USER --role ROLE`): the UI reads who
 * it names and asks the API once, so a token the gateway refuses is refused here with its message.
 */
export const SignIn = ({ onSignedIn }: { onSignedIn: (session: Session) => void }) => {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const session = sessionOf(token);
    if ('error' in session) return setError(session.error);
    setBusy(true);
    try {
      await request(session.token, 'GET', '/api/integrations/connections/status');
      onSignedIn(session);
    } catch (refused) {
      setError(messageOf(refused));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box component="main" sx={{ display: 'grid', placeItems: 'center', minHeight: '100vh', p: 2 }}>
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
    </Box>
  );
};
