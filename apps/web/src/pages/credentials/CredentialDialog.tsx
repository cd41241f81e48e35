import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, FormControl, FormControlLabel, FormLabel, InputLabel, MenuItem, Radio, RadioGroup, Select, Stack, TextField, useMediaQuery, useTheme } from '@mui/material';
import type { default as CoreForm } from '@rjsf/core';
import Form from '@rjsf/mui';
import validator from '@rjsf/validator-ajv8';
import { useMemo, useRef, useState } from 'react';
import type { CredentialView } from '@clp/contracts';
import { messageOf, request } from '../../lib/api';
import { createCredentialBody, credentialKinds, methodOf, rotateCredentialBody } from '../../lib/credentials';
import { useDefinitions } from '../../queries';
import { useSession } from '../../session-context';

const NO_SUBMIT = { 'ui:submitButtonOptions': { norender: true } };
// The fields show their errors; without onError the form also logs them to the console.
const SHOWN_IN_FIELDS = () => undefined;
type Data = Record<string, unknown>;

/**
 * Create a credential, or rotate one (`rotating`: its kind fixed, a new secret): the form is the
 * kind's credential schema, one form per way to authenticate, as the registration modal makes it
 * (lib/registration.ts). Loaded on first open, like the modal, so rjsf stays out of the lists.
 */
export const CredentialDialog = ({ rotating, onDone, onClose }: { rotating?: CredentialView; onDone: () => Promise<unknown>; onClose: () => void }) => {
  const narrow = useMediaQuery(useTheme().breakpoints.down('sm'));
  const { token } = useSession();
  const definitions = useDefinitions();
  const kinds = useMemo(() => credentialKinds(definitions.data?.values() ?? []), [definitions.data]);
  const [name, setName] = useState(rotating?.name ?? '');
  const [kind, setKind] = useState(rotating?.kind ?? '');
  const methods = kinds.find((entry) => entry.kind === kind)?.methods ?? [];
  // A rotation keeps the way it authenticates when its secret fields say which.
  const [methodId, setMethodId] = useState<string>('');
  const method = methods.find((candidate) => candidate.id === methodId) ?? methodOf(methods, rotating?.secret_fields ?? []);
  const [secret, setSecret] = useState<Data>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<CoreForm>(null);
  const blankName = name.trim() === '';

  const submit = async () => {
    const valid = formRef.current?.validateForm() ?? false;
    if (!valid || blankName || !method) return;
    setBusy(true);
    setError(null);
    try {
      if (rotating) await request(token, 'PUT', `/api/integrations/credentials/${rotating.id}`, rotateCredentialBody(rotating, name, secret));
      else await request(token, 'POST', '/api/integrations/credentials', createCredentialBody(name, kind, secret));
      await onDone();
      onClose();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth fullScreen={narrow} maxWidth="sm" aria-labelledby="credential-dialog-title" scroll="paper">
      <DialogTitle id="credential-dialog-title">{rotating ? `Rotate ${rotating.name}` : 'Create credential'}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField label="Name" value={name} onChange={(event) => setName(event.target.value)} required autoFocus slotProps={{ htmlInput: { maxLength: 100 } }} />
          {definitions.isError && <Alert severity="error">The kinds could not be loaded: {messageOf(definitions.error)}</Alert>}
          <FormControl size="small" disabled={rotating !== undefined}>
            <InputLabel id="credential-kind-label">Kind</InputLabel>
            <Select
              labelId="credential-kind-label"
              label="Kind"
              value={kinds.some((entry) => entry.kind === kind) ? kind : ''}
              onChange={(event) => {
                setKind(event.target.value);
                setMethodId('');
                setSecret({});
              }}
            >
              {kinds.map((entry) => (
                <MenuItem key={entry.kind} value={entry.kind} data-kind={entry.kind}>
                  {entry.kind}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          {methods.length > 1 && method && (
            <FormControl component="fieldset">
              <FormLabel component="legend">Authenticates with</FormLabel>
              <RadioGroup
                row
                name="credential-method"
                value={method.id}
                onChange={(event) => {
                  setMethodId(event.target.value);
                  setSecret({});
                }}
              >
                {methods.map((candidate) => (
                  <FormControlLabel key={candidate.id} value={candidate.id} control={<Radio />} label={candidate.label} />
                ))}
              </RadioGroup>
            </FormControl>
          )}
          {method && (
            <div data-testid="credential-form">
              <Form
                key={`${kind}:${method.id}`}
                ref={formRef}
                schema={method.form.schema}
                uiSchema={{ ...method.form.uiSchema, ...NO_SUBMIT }}
                validator={validator}
                formData={secret}
                onChange={(event) => setSecret((event.formData as Data) ?? {})}
                noHtml5Validate
                showErrorList={false}
                onError={SHOWN_IN_FIELDS}
                idPrefix="credential"
                disabled={busy}
              />
            </div>
          )}
          {rotating && <Alert severity="info">The new secret replaces the old one for every connection using it; the old one cannot be read back.</Alert>}
          {error && (
            <Alert severity="error" data-testid="form-error">
              {error}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={busy || blankName || !method} onClick={submit}>
          {rotating ? 'Rotate' : 'Create'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

export default CredentialDialog;
