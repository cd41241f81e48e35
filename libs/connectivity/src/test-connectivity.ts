import type { ProbeResult } from '@clp/contracts';
import { CHECKS } from './checks';
import { authenticationOf, type Authentication } from './credential';
import { publicUrl } from './endpoint';
import { CheckFailed, describeFailure } from './failure';
import { openHttpSession } from './http-session';
import { redactDeep, redactor } from './redaction';
import { DEFAULT_TIMEOUT_MS, type ConnectivityTarget } from './target';

const parseUrl = (text: string): URL | undefined => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
};

// Userinfo that is not valid percent-encoding cannot be decoded into a password.
const authenticationOrUndefined = (url: URL, credential?: Record<string, string>): Authentication | undefined => {
  try {
    return authenticationOf(url, credential);
  } catch {
    return undefined;
  }
};

const rejectOnAbort = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

/**
 * Runs the protocol check of the target's kind (design.md §6.4). Never throws: a failing or
 * unreachable target resolves `ok: false` with a reason, within `timeoutMs` for the whole test.
 * No secret of the credential or the URL's userinfo appears in the result.
 */
export const testConnectivity = async (
  target: ConnectivityTarget,
  clock: () => Date = () => new Date(),
): Promise<ProbeResult> => {
  const checkedAt = clock().toISOString();
  const started = performance.now();
  const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = Object.values(target.credential ?? {});
  const finish = (outcome: Pick<ProbeResult, 'ok' | 'check' | 'error' | 'details'>, hidden = secrets): ProbeResult =>
    redactDeep(
      { ...outcome, checked_at: checkedAt, latency_ms: Math.round(performance.now() - started) },
      redactor(hidden),
    ) as ProbeResult;

  const check = CHECKS[target.check];
  if (!check) return finish({ ok: false, check: String(target.check), error: `unknown check kind "${target.check}"` });
  const base = parseUrl(target.url);
  // The raw text may carry userinfo: it is never echoed, not even when it does not parse.
  if (!base) return finish({ ok: false, check: target.check, error: 'invalid URL (expected http:// or https://)' });

  const auth = authenticationOrUndefined(base, target.credential);
  if (!auth) return finish({ ok: false, check: target.check, error: 'invalid percent-encoding in the URL userinfo' });
  const description = check.describe(publicUrl(base));

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const session = openHttpSession(base, auth, { insecure: target.insecure_skip_tls_verify === true, signal: controller.signal });
  try {
    const running = check.run(session.get, auth);
    // Past the deadline the race is lost; whatever it throws later is already reported as the timeout.
    running.catch(() => undefined);
    const details = await Promise.race([running, rejectOnAbort(controller.signal)]);
    return finish({ ok: true, check: description, details }, auth.secrets);
  } catch (error) {
    const details = error instanceof CheckFailed ? error.details : undefined;
    const reason = describeFailure(error, controller.signal.aborted, timeoutMs);
    return finish({ ok: false, check: description, error: reason, ...(details ? { details } : {}) }, auth.secrets);
  } finally {
    clearTimeout(timer);
    await session.close();
  }
};
