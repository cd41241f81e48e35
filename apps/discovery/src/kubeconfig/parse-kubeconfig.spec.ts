import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplyError } from '@clp/contracts';
import {
  KUBECONFIG_CA_DATA,
  KUBECONFIG_CLIENT_CERT_DATA,
  KUBECONFIG_CLIENT_KEY_DATA,
  KUBECONFIG_PASSWORD,
  KUBECONFIG_SECRETS,
  KUBECONFIG_TOKEN,
  kubeconfigOf,
  MALFORMED_KUBECONFIGS,
  oneContext,
} from '@clp/testing';
import { parseKubeconfig } from './parse-kubeconfig';

const refusal = (text: string): ReplyError => {
  try {
    parseKubeconfig(text);
  } catch (error) {
    if (error instanceof ReplyError) return error;
    throw error;
  }
  throw new Error('the kubeconfig was accepted');
};

const fieldsOf = (error: ReplyError) => (error.details.fields as Array<{ field: string; reasons: string[] }>).map((f) => f.field);

describe('parseKubeconfig', () => {
  it('makes one kubernetes connection form per context, with the credentials of its user', () => {
    expect(parseKubeconfig(kubeconfigOf())).toEqual([
      {
        context: 'dev-admin',
        cluster: 'dev',
        user: 'dev-admin',
        metadata: { server: 'https://dev.example.test:6443', context: 'dev-admin', user: 'dev-admin' },
        secret: { token: KUBECONFIG_TOKEN, certificate_authority: KUBECONFIG_CA_DATA },
      },
      {
        context: 'dev-viewer',
        cluster: 'dev',
        user: 'dev-viewer',
        metadata: { server: 'https://dev.example.test:6443', context: 'dev-viewer', user: 'dev-viewer' },
        secret: { client_certificate: KUBECONFIG_CLIENT_CERT_DATA, client_key: KUBECONFIG_CLIENT_KEY_DATA, certificate_authority: KUBECONFIG_CA_DATA },
      },
      {
        context: 'staging',
        cluster: 'staging',
        user: 'staging-basic',
        metadata: { server: 'https://staging.example.test:6443', context: 'staging', user: 'staging-basic', insecure_skip_tls_verify: true },
        secret: { username: 'ops', password: KUBECONFIG_PASSWORD },
      },
    ]);
  });

  it('reads JSON too, and a context without a user as one without credentials', () => {
    const json = JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://c.example.test' } }],
      contexts: [{ name: 'anonymous', context: { cluster: 'c' } }],
    });
    expect(parseKubeconfig(json)).toEqual([
      { context: 'anonymous', cluster: 'c', user: null, metadata: { server: 'https://c.example.test', context: 'anonymous' } },
    ]);
  });

  it.each(MALFORMED_KUBECONFIGS)('refuses $name, naming $field, and quotes no secret', ({ kubeconfig, field, reason }) => {
    const error = refusal(kubeconfig);
    expect(error.code).toBe('validation_failed');
    expect(error.details.fields).toEqual(expect.arrayContaining([{ field, reasons: [expect.stringMatching(reason)] }]));
    const told = JSON.stringify(error.toReply());
    for (const secret of KUBECONFIG_SECRETS) expect(told).not.toContain(secret);
  });

  it('refuses every other malformed shape with a reason, never a crash', () => {
    const cases: Array<[string, string]> = [
      ['', 'kubeconfig'],
      ['just a string', 'kubeconfig'],
      ['clusters: 7\ncontexts: []', 'clusters'],
      ['clusters: [null, 3]\ncontexts: [{name: x, context: {cluster: a}}]', 'clusters[0].name'],
      ['clusters: [{name: c}]\ncontexts: [{name: x, context: {cluster: c}}]', 'clusters[0].cluster'],
      ['clusters: [{name: c, cluster: {}}]\ncontexts: [{name: x, context: {cluster: c}}]', 'clusters[0].cluster.server'],
      ['contexts: [{name: x}]', 'contexts[0].context'],
      ['apiVersion: 3\nkind: Config', 'kubeconfig'],
    ];
    for (const [text, field] of cases) expect({ text, fields: fieldsOf(refusal(text)) }).toEqual({ text, fields: [field] });
  });

  it('names every bad entry at once: duplicates, a server that is not a URL or carries a password, a half client certificate', () => {
    const text = `clusters:
- {name: a, cluster: {server: "not a url"}}
- {name: b, cluster: {server: "https://ops:${KUBECONFIG_PASSWORD}@b.example.test"}}
- {name: b, cluster: {server: "https://b2.example.test"}}
contexts:
- {name: x, context: {cluster: a, user: u}}
- {name: y, context: {cluster: b, user: half}}
- {name: y, context: {cluster: b, user: u}}
users:
- {name: u, user: {token: t}}
- {name: half, user: {client-certificate-data: ${KUBECONFIG_CLIENT_CERT_DATA}}}
`;
    const error = refusal(text);
    expect(fieldsOf(error).sort()).toEqual(['clusters[a].server', 'clusters[b]', 'clusters[b].server', 'contexts[y]', 'users[half]'].sort());
    expect(JSON.stringify(error.toReply())).not.toContain(KUBECONFIG_PASSWORD);
    expect(JSON.stringify(error.toReply())).not.toContain(KUBECONFIG_CLIENT_CERT_DATA);
  });

  it('never reads a file or runs a plugin a kubeconfig names: such a context is marked, without credentials', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'file-content-that-must-stay-unread-93c1');
    try {
      const [fromFile] = parseKubeconfig(oneContext(`{token-file: "${file}"}`));
      expect(JSON.stringify(fromFile)).not.toContain('file-content-that-must-stay-unread-93c1');
      expect(fromFile.secret).toBeUndefined();
      expect(fromFile.unsupported).toMatch(/the user "one" reads its token from a file; .*embed the credentials/);

      const [plugin] = parseKubeconfig(oneContext('{exec: {command: "/bin/sh", args: ["-c", "touch /tmp/pwned"], apiVersion: client.authentication.k8s.io/v1}}'));
      expect(plugin.unsupported).toMatch(/gets its credentials from an exec plugin/);
      // An embedded credential beside a plugin is used: the context is fine.
      const [both] = parseKubeconfig(oneContext(`{token: ${KUBECONFIG_TOKEN}, auth-provider: {name: oidc}}`));
      expect(both).toMatchObject({ secret: { token: KUBECONFIG_TOKEN } });
      expect(both.unsupported).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses values repeated through YAML aliases beyond a bound, without expanding them', () => {
    const big = 'x'.repeat(60_000);
    const users = Array.from({ length: 100 }, (_, i) => `- {name: u${i}, user: {token: *t, password: *t, username: *t}}`).join('\n');
    const text = `clusters: [{name: c, cluster: {server: "https://c.example.test", certificate-authority-data: &t ${big}}}]\ncontexts: [{name: x, context: {cluster: c}}]\nusers:\n${users}\n`;
    expect(fieldsOf(refusal(text))).toEqual(['kubeconfig']);
  });
});
