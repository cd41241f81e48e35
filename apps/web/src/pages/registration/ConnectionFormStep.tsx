import { Alert, Box, Button, Checkbox, CircularProgress, FormControl, FormControlLabel, FormLabel, InputLabel, MenuItem, Radio, RadioGroup, Select, Stack, Typography } from '@mui/material';
import type { default as CoreForm } from '@rjsf/core';
import Form from '@rjsf/mui';
import validator from '@rjsf/validator-ajv8';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import type { ConnectionDefinition, ConnectionView, ProbeResult } from '@clp/contracts';
import { messageOf, request } from '../../lib/api';
import { connectionForm, credentialMethods, probeSummary, registerBody, shouldConnect, testBody, type CredentialChoice } from '../../lib/registration';
import { CONNECTIONS_KEY, useCredentials } from '../../queries';
import { useSession } from '../../session-context';

const REGISTER = '/api/integrations/connections/register';
// The forms' own submit buttons are hidden: Test and Register below act on both forms.
const NO_SUBMIT = { 'ui:submitButtonOptions': { norender: true } };

type Data = Record<string, unknown>;
// The fields show their errors; without onError the form also logs them to the console.
const SHOWN_IN_FIELDS = () => undefined;

/**
 * The connection form and the credential form, generated from the kind's JSON Schemas, with Test
 * (the API's ad hoc connectivity test, nothing stored) and Register (init, then register, then —
 * when asked and the definition allows — connect).
 */
export const ConnectionFormStep = ({
  definition,
  onBack,
  onRegistered,
}: {
  definition: ConnectionDefinition;
  onBack: () => void;
  onRegistered: (connection: ConnectionView, warning?: string) => void;
}) => {
  const { token } = useSession();
  const client = useQueryClient();
  const form = useMemo(() => connectionForm(definition), [definition]);
  const { optional, methods } = useMemo(() => credentialMethods(definition), [definition]);
  const credentials = useCredentials();
  const stored = (credentials.data?.credentials ?? []).filter((credential) => credential.kind === definition.kind);

  const [data, setData] = useState<Data>({});
  const [source, setSource] = useState<string>(optional || methods.length === 0 ? 'none' : `new:${methods[0].id}`);
  const [secret, setSecret] = useState<Data>({});
  const [credentialId, setCredentialId] = useState('');
  const [connectAfter, setConnectAfter] = useState(true);
  const connectionRef = useRef<CoreForm>(null);
  const credentialRef = useRef<CoreForm>(null);
  const method = source.startsWith('new:') ? methods.find((candidate) => `new:${candidate.id}` === source) : undefined;

  const choice = (): CredentialChoice =>
    source === 'existing' ? { source: 'existing', credentialId } : method ? { source: 'new', methodId: method.id, secret } : { source: 'none' };
  // Both forms show their errors; a stored credential must be picked.
  const valid = (): boolean => {
    const connectionOk = connectionRef.current?.validateForm() ?? false;
    const credentialOk = method ? (credentialRef.current?.validateForm() ?? false) : source !== 'existing' || credentialId !== '';
    return connectionOk && credentialOk;
  };

  const test = useMutation({ mutationFn: () => request<ProbeResult>(token, 'POST', '/api/integrations/connections/test', testBody(definition.kind, data, choice())) });
  const register = useMutation({
    mutationFn: async () => {
      const tracker = await request<{ id: string }>(token, 'POST', REGISTER, { status: 'init', kind: definition.kind });
      const connection = await request<ConnectionView>(token, 'POST', REGISTER, registerBody(tracker.id, definition.kind, data, choice()));
      if (!shouldConnect(definition, connection, connectAfter)) return { connection };
      try {
        return { connection: await request<ConnectionView>(token, 'PUT', `/api/integrations/connections/${connection.id}`, { status: 'connected' }) };
      } catch (error) {
        return { connection, warning: `Registered as ${connection.status}, but connecting it failed: ${messageOf(error)}` };
      }
    },
    onSuccess: ({ connection, warning }) => onRegistered(connection, warning),
    onSettled: () => client.invalidateQueries({ queryKey: [CONNECTIONS_KEY] }),
  });
  // A result is of the form as it was tested: a change hides it.
  const stale = () => {
    if (!test.isIdle) test.reset();
  };
  const busy = test.isPending || register.isPending;
  const result = test.data ? probeSummary(test.data) : null;

  return (
    <Stack spacing={2}>
      <Typography variant="subtitle1" component="h2">
        {definition.kind} <Typography component="span" color="text.secondary">({definition.type} · {definition.sub_type})</Typography>
      </Typography>
      <Box data-testid="connection-form">
        <Form
          ref={connectionRef}
          schema={form.schema}
          uiSchema={{ ...form.uiSchema, ...NO_SUBMIT }}
          validator={validator}
          formData={data}
          onChange={(event) => {
            setData((event.formData as Data) ?? {});
            stale();
          }}
          noHtml5Validate
          showErrorList={false}
          onError={SHOWN_IN_FIELDS}
          idPrefix="connection"
          disabled={register.isPending}
        />
      </Box>

      <FormControl component="fieldset">
        <FormLabel component="legend">Credential</FormLabel>
        <RadioGroup row value={source} onChange={(event) => {
            setSource(event.target.value);
            stale();
          }} name="credential-source">
          {optional && <FormControlLabel value="none" control={<Radio />} label="None" />}
          {methods.map((candidate) => (
            <FormControlLabel key={candidate.id} value={`new:${candidate.id}`} control={<Radio />} label={`New: ${candidate.label}`} />
          ))}
          <FormControlLabel value="existing" control={<Radio />} label="A stored credential" disabled={stored.length === 0} />
        </RadioGroup>
      </FormControl>
      {credentials.isError && <Alert severity="warning">The stored credentials could not be loaded: {messageOf(credentials.error)}</Alert>}
      {source === 'existing' && (
        <FormControl size="small" sx={{ maxWidth: 420 }} error={credentialId === '' && register.isError}>
          <InputLabel id="stored-credential-label">Stored credential</InputLabel>
          <Select labelId="stored-credential-label" label="Stored credential" value={credentialId} onChange={(event) => {
              setCredentialId(event.target.value);
              stale();
            }}>
            {stored.map((credential) => (
              <MenuItem key={credential.id} value={credential.id}>
                {credential.name} ({credential.secret_fields.join(', ')})
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      )}
      {method && (
        <Box data-testid="credential-form">
          <Form
            key={method.id}
            ref={credentialRef}
            schema={method.form.schema}
            uiSchema={{ ...method.form.uiSchema, ...NO_SUBMIT }}
            validator={validator}
            formData={secret}
            onChange={(event) => {
              setSecret((event.formData as Data) ?? {});
              stale();
            }}
            noHtml5Validate
            showErrorList={false}
            onError={SHOWN_IN_FIELDS}
            idPrefix="credential"
            disabled={register.isPending}
          />
        </Box>
      )}

      <div aria-live="polite">
        {test.isPending && (
          <Typography role="status">
            <CircularProgress size={16} sx={{ mr: 1 }} />
            Testing…
          </Typography>
        )}
        {result && !test.isPending && (
          <Alert severity={result.ok ? 'success' : 'error'} data-testid="test-result">
            {result.text}
          </Alert>
        )}
        {test.isError && !test.isPending && (
          <Alert severity="error" data-testid="test-result">
            The test could not run: {messageOf(test.error)}
          </Alert>
        )}
        {register.isError && (
          <Alert severity="error" data-testid="register-error">
            Registration failed: {messageOf(register.error)}
          </Alert>
        )}
      </div>

      <FormControlLabel
        control={<Checkbox checked={connectAfter} onChange={(event) => setConnectAfter(event.target.checked)} />}
        label="Connect it once registered (when its test passes)"
      />
      <Stack direction="row" spacing={1}>
        <Button onClick={onBack} disabled={busy}>
          Back
        </Button>
        <Button variant="outlined" disabled={busy} onClick={() => valid() && (test.reset(), test.mutate())}>
          Test
        </Button>
        <Button variant="contained" disabled={busy} onClick={() => valid() && register.mutate()}>
          {register.isPending ? 'Registering…' : 'Register'}
        </Button>
      </Stack>
    </Stack>
  );
};
