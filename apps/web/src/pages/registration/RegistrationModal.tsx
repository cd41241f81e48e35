import { Alert, Box, Button, CircularProgress, Dialog, useMediaQuery, useTheme, DialogActions, DialogContent, DialogTitle, List, ListItemButton, ListItemText, Step as StepItem, StepLabel, Stepper, Typography } from '@mui/material';
import { useReducer } from 'react';
import { messageOf } from '../../lib/api';
import { STEP_LABELS, nextStep, registrableKinds, stepIndex, type Step } from '../../lib/registration';
import { connectionPath } from '../../lib/routes';
import { useDefinitions } from '../../queries';
import { navigate } from '../../router';
import { StatusChip } from '../StatusChip';
import { ConnectionFormStep } from './ConnectionFormStep';
import { EnvironmentsStep } from './EnvironmentsStep';
import { KubeconfigStep } from './KubeconfigStep';

/**
 * Meshery's Registration Modal (seed 002): a kind, its forms generated from the definition, Test
 * and Register, then the environments; for Kubernetes, a kubeconfig upload instead of the form.
 * Closing it forgets the steps (its content is mounted only while open).
 */
export const RegistrationModal = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const narrow = useMediaQuery(useTheme().breakpoints.down('sm'));
  return (
    <Dialog open={open} onClose={onClose} fullWidth fullScreen={narrow} maxWidth="md" aria-labelledby="registration-title" scroll="paper">
      {open && <RegistrationSteps onClose={onClose} />}
    </Dialog>
  );
};

export default RegistrationModal;

const RegistrationSteps = ({ onClose }: { onClose: () => void }) => {
  const [step, dispatch] = useReducer(nextStep, { step: 'kind' } as Step);
  const definitions = useDefinitions();
  const definition = step.step === 'form' ? definitions.data?.get(step.kind) : undefined;
  return (
    <>
      <DialogTitle id="registration-title">Register connection</DialogTitle>
      <DialogContent dividers>
        <Stepper activeStep={stepIndex(step)} sx={{ mb: 3 }} aria-label="Registration steps">
          {STEP_LABELS.map((label) => (
            <StepItem key={label}>
              <StepLabel>{label}</StepLabel>
            </StepItem>
          ))}
        </Stepper>
        {step.step === 'kind' && (
          <>
            {definitions.isPending && <CircularProgress size={24} aria-label="Loading the kinds" />}
            {definitions.isError && (
              <Alert severity="error" action={<Button onClick={() => definitions.refetch()}>Retry</Button>}>
                The kinds could not be loaded: {messageOf(definitions.error)}
              </Alert>
            )}
            {definitions.data && (
              <>
                <Typography id="kind-heading" variant="subtitle1" component="h2">
                  Choose a kind
                </Typography>
                <List aria-labelledby="kind-heading" dense>
                  {registrableKinds(definitions.data.values()).map((kind) => (
                    <ListItemButton key={kind.kind} data-kind={kind.kind} onClick={() => dispatch({ type: 'choose-kind', kind: kind.kind })}>
                      <ListItemText primary={kind.kind} secondary={`${kind.type} · ${kind.sub_type}`} />
                    </ListItemButton>
                  ))}
                </List>
                {definitions.data.has('kubernetes') && (
                  <Box sx={{ mt: 1 }}>
                    <Button variant="outlined" onClick={() => dispatch({ type: 'upload-kubeconfig' })}>
                      Upload a kubeconfig
                    </Button>
                    <Typography variant="body2" color="text.secondary" component="span" sx={{ ml: 1 }}>
                      one Kubernetes connection per context
                    </Typography>
                  </Box>
                )}
              </>
            )}
          </>
        )}
        {step.step === 'form' && definition && <ConnectionFormStep definition={definition} onBack={() => dispatch({ type: 'back' })} onRegistered={(connection, warning) => dispatch({ type: 'registered', connection, warning })} />}
        {step.step === 'kubeconfig' && <KubeconfigStep onBack={() => dispatch({ type: 'back' })} />}
        {step.step === 'environments' && (
          <EnvironmentsStep connection={step.connection} warning={step.warning} onDone={(connection) => dispatch({ type: 'assigned', connection })} />
        )}
        {step.step === 'done' && (
          <Alert severity="success" data-testid="registration-done">
            <Box component="span" sx={{ display: 'inline-flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
              {step.connection.name} is <StatusChip status={step.connection.status} />
              {step.connection.environments.length > 0 ? `in ${step.connection.environments.map((environment) => environment.name).join(', ')}` : 'in no environment'}
            </Box>
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {step.step === 'done' && (
          <Button
            onClick={() => {
              onClose();
              navigate(connectionPath(step.connection.id));
            }}
          >
            Open its page
          </Button>
        )}
        <Button onClick={onClose}>{step.step === 'done' ? 'Close' : 'Cancel'}</Button>
      </DialogActions>
    </>
  );
};
