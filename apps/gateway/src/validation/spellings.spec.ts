import { canonicalSpelling, normalizeSpellings, otherSpellingsOf } from './spellings';

describe('Meshery spellings', () => {
  it('renames camelCase to snake_case and keeps what is already canonical', () => {
    expect(['subType', 'credentialSecret', 'credentialId', 'actedUpon', 'environmentIds', 'sub_type', 'orgID', 'kind', 'id'].map(canonicalSpelling)).toEqual([
      'sub_type',
      'credential_secret',
      'credential_id',
      'acted_upon',
      'environment_ids',
      'sub_type',
      'orgID',
      'kind',
      'id',
    ]);
  });

  it("maps Meshery's own names where they are not the plain snake_case", () => {
    expect(['pageSize', 'page_size', 'orgId', 'skipCredentialVerification', 'skip_credential_verification'].map(canonicalSpelling)).toEqual([
      'pagesize',
      'pagesize',
      'orgID',
      'skip_connectivity_test',
      'skip_connectivity_test',
    ]);
  });

  it('renames top-level keys only: metadata and secrets keep their keys', () => {
    const body = { subType: 'monitoring', metadata: { serverId: 'x' }, credentialSecret: { apiKey: 'k' } };
    expect(normalizeSpellings(body)).toEqual([]);
    expect(body).toEqual({ sub_type: 'monitoring', metadata: { serverId: 'x' }, credential_secret: { apiKey: 'k' } });
  });

  it('accepts both spellings with equal values, and names the field when they differ', () => {
    const same = { sub_type: 'monitoring', subType: 'monitoring' };
    expect(normalizeSpellings(same)).toEqual([]);
    expect(same).toEqual({ sub_type: 'monitoring' });
    const differ = { pagesize: '10', pageSize: '20', credentialSecret: { token: 'a' }, credential_secret: { token: 'b' } };
    expect(normalizeSpellings(differ).map((f) => f.field)).toEqual(['pagesize', 'credential_secret']);
  });

  it('never repeats a value in its error', () => {
    const [conflict] = normalizeSpellings({ credential_secret: { token: 'hidden-1' }, credentialSecret: { token: 'hidden-2' } });
    expect(JSON.stringify(conflict)).not.toMatch(/hidden/);
  });
});

describe('the other spellings of a field, for the OpenAPI document', () => {
  it('lists exactly the spellings that are renamed to it', () => {
    for (const name of ['sub_type', 'credential_secret', 'pagesize', 'orgID', 'skip_connectivity_test', 'kind', 'acted_upon']) {
      const others = otherSpellingsOf(name);
      expect(others.every((other) => canonicalSpelling(other) === name && other !== name)).toBe(true);
    }
    expect(otherSpellingsOf('sub_type')).toEqual(['subType']);
    expect(otherSpellingsOf('pagesize')).toEqual(['pageSize', 'page_size']);
    expect(otherSpellingsOf('skip_connectivity_test').sort()).toEqual(['skipConnectivityTest', 'skipCredentialVerification', 'skip_credential_verification']);
    expect(otherSpellingsOf('kind')).toEqual([]);
  });
});
