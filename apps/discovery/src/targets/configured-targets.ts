import { v5 as uuidv5 } from 'uuid';
import type { ResourceFound } from '@clp/contracts';
import { connectionFormErrors, definitionOf, KINDS, normalizeUrl } from '@clp/connection-definitions';
import type { DiscoveryConfig } from '../config';

/** What configured targets report as: the registry's actor for them is `discovery:configured-target`. */
export const TARGETS_SOURCE = 'configured-target';

/** A discovery report as it goes on `discovery.events.<kind>.ConnectionDiscovered`. */
export type TargetReport = ResourceFound & { metadata: { event_id: string; occurred_at: string } };

// Namespace of the event ids of configured targets' reports.
const TARGET_REPORT_NAMESPACE = '8f4b2c7e-1d3a-5e6f-9a0b-4c5d6e7f8a9b';

const MAX_NAME = 100;

/** The URL with any userinfo left out, for messages: it may hold a password. */
const shown = (text: string): string => text.replace(/\/\/[^/@]*@/, '//…@');

const refuse = (kind: string, url: string, why: string): Error => new Error(`DISCOVERY_TARGETS: ${kind}=${shown(url)}: ${why}`);

/**
 * Checks every configured target before anything is published: a target that could never become
 * a connection stops the start with the reason, as any other bad setting does.
 */
export const checkTargets = (targets: DiscoveryConfig['targets']): void => {
  for (const { kind, url } of targets) {
    const definition = definitionOf(kind);
    const field = definition?.address_field;
    if (!definition || !field) {
      const addressable = KINDS.filter((k) => definitionOf(k)?.address_field);
      throw refuse(kind, url, `unknown kind "${kind}" (one of ${addressable.join(', ')})`);
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw refuse(kind, url, 'not a URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw refuse(kind, url, 'only http:// and https:// URLs');
    // A secret in the URL would travel on the bus and stay in every event: credentials belong in the vault.
    if (parsed.username || parsed.password) throw refuse(kind, url, 'credentials in the URL are not accepted; register a credential instead');
    const errors = connectionFormErrors(definition, { [field]: url });
    if (errors.length) throw refuse(kind, url, errors.map((e) => `${e.field}: ${e.reasons.join('; ')}`).join(', '));
  }
};

/**
 * The reports of the configured targets. Event ids are derived from (organization, kind, URL), so
 * every replica and every restart publishes the same report, which the stream's duplicate window
 * drops; past it, the registry recognises the resource by its fingerprint and changes nothing.
 */
export const targetReports = (targets: DiscoveryConfig['targets'], organization: string, now: Date): TargetReport[] =>
  targets.map(({ kind, url }) => {
    const definition = definitionOf(kind);
    const field = definition?.address_field ?? 'url';
    return {
      type: 'ConnectionDiscovered',
      data: {
        organization_id: organization,
        kind,
        name: `${kind}-${new URL(url).host}`.slice(0, MAX_NAME),
        metadata: { [field]: url },
        source: TARGETS_SOURCE,
      },
      metadata: {
        event_id: uuidv5(JSON.stringify([organization, kind, normalizeUrl(url)]), TARGET_REPORT_NAMESPACE),
        occurred_at: now.toISOString(),
      },
    };
  });
