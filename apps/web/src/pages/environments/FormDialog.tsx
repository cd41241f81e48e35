import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, useMediaQuery, useTheme } from '@mui/material';
import { useState } from 'react';
import { messageOf } from '../../lib/api';

export interface NamedFields {
  name: string;
  description: string;
  tags: string;
}

/**
 * Create or edit an environment or a workspace: name, description and (environments) tags. The
 * dialog stays open with the API's message when the request is refused (a name in use: 409).
 */
export const FormDialog = ({
  title,
  initial,
  withTags,
  submitLabel,
  onSubmit,
  onClose,
}: {
  title: string;
  initial: NamedFields;
  withTags: boolean;
  submitLabel: string;
  onSubmit: (fields: NamedFields) => Promise<unknown>;
  onClose: () => void;
}) => {
  const narrow = useMediaQuery(useTheme().breakpoints.down('sm'));
  const [fields, setFields] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof NamedFields) => (event: React.ChangeEvent<HTMLInputElement>) => setFields({ ...fields, [field]: event.target.value });
  const blank = fields.name.trim() === '';
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (blank) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(fields);
      onClose();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth fullScreen={narrow} maxWidth="sm" aria-labelledby="form-dialog-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="form-dialog-title">{title}</DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2}>
            <TextField label="Name" value={fields.name} onChange={set('name')} required autoFocus slotProps={{ htmlInput: { maxLength: 100 } }} error={blank && error !== null} />
            <TextField label="Description" value={fields.description} onChange={set('description')} multiline minRows={2} slotProps={{ htmlInput: { maxLength: 1000 } }} />
            {withTags && <TextField label="Tags" helperText="separated by commas" value={fields.tags} onChange={set('tags')} />}
            {error && (
              <Alert severity="error" data-testid="form-error">
                {error}
              </Alert>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy || blank}>
            {submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
