import * as assert from 'node:assert/strict';
import { diagnosisMarkdown, elapsedText, reportJson } from '../../../../src/core/diagnose/report';
import type { Diagnosis, RankedCause, VerifyResult } from '../../../../src/core/diagnose/types';
import { CAUSE_FIXES } from '../../../../src/core/correlate/causes';

const IDP = 'outbound|443||idp.example.com';

/** A cause whose cluster, pod and manifest texts try to form Markdown: links, emphasis, a heading. */
const HOSTILE: RankedCause = {
  cause: 'connect-timeout',
  confidence: 0.95,
  clusters: [IDP],
  pods: ['shop/checkout-1'],
  summary: ['connect timeout 1s on [click](javascript:alert(1)) *now*'],
  evidence: [{ kind: 'config', pod: 'shop/checkout-1', cluster: IDP, field: 'connect_timeout', value: '1s' }],
  setting: CAUSE_FIXES['connect-timeout'].setting,
  manifest: [{ file: 'mesh/# op.yaml', startLine: 10, endLine: 10, resource: 'IstioOperator istio-system/mesh', field: 'spec.meshConfig.connectTimeout', value: '1s' }],
  fix: CAUSE_FIXES['connect-timeout'],
};

const DIAGNOSIS: Diagnosis = {
  target: 'pod shop/checkout-1',
  window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:05:00.000Z', minutes: 5, sampleSeconds: 10, debugMinutes: 0 },
  causes: [HOSTILE],
  requests: 9,
  unexplainedResets: 0,
  untiedResets: 0,
  notes: [],
};

const VERIFIED: VerifyResult = {
  verified: true,
  tookSeconds: 72.4,
  checks: [{ pod: 'shop/checkout-1', cluster: IDP, before: '1s', after: '10s', fixed: true, failuresSinceFix: 0, flatSeconds: 60.2 }],
  stillFailing: [],
  requests: 40,
};

describe('diagnosis report (Markdown and JSON, shared by the CLI and the editor)', () => {
  it('says how long something took as a person says it', () => {
    assert.deepEqual([0, 45.4, 72.4, 3600, 7384].map(elapsedText), ['0 s', '45 s', '1 m 12 s', '1 h 0 m', '2 h 3 m']);
  });

  it('escapes cluster and manifest text, and names each site without a link (the preview renders no file: link)', () => {
    const plain = diagnosisMarkdown(DIAGNOSIS);
    assert.ok(plain.includes('\\[click\\]\\(javascript\\:alert\\(1\\)\\) \\*now\\*'), plain);
    assert.ok(plain.includes('- Set in mesh\\/\\# op\\.yaml, lines 10–10:'), plain);
    assert.doesNotMatch(plain, /\]\(/);
  });

  it('adds the verification: a summary line at the top and its checks at the end', () => {
    const md = diagnosisMarkdown(DIAGNOSIS, { verification: VERIFIED });
    assert.match(md, /^- Verification: verified after 1 m 12 s$/m);
    assert.match(md, /## Verification\n\nVerified after 1 m 12 s \(40 requests\)\.\n/);
    assert.ok(md.includes('| shop\\/checkout\\-1 | outbound\\|443\\|\\|idp\\.example\\.com | 1s → 10s | 0 | 60.2 s |'), md);
    // A replica first checked after the push never showed the old value.
    const late = diagnosisMarkdown(DIAGNOSIS, { verification: { ...VERIFIED, checks: [{ ...VERIFIED.checks[0]!, before: '10s' }] } });
    assert.ok(late.includes('| 10s \\(already at the first check\\) | 0 |'), late);
    const failing = diagnosisMarkdown(DIAGNOSIS, { verification: { ...VERIFIED, verified: false, stillFailing: ['shop/checkout-1: outbound|443||idp.example.com still has connect timeout 1s'] } });
    assert.match(failing, /^- Verification: not verified$/m);
    assert.match(failing, /Not verified after 1 m 12 s \(40 requests\)\. Still failing:\n\n- shop\\\/checkout\\-1\\: .*still has connect timeout 1s/);
  });

  it('exports JSON with the diagnosis and the verification, or null before one ran', () => {
    const json = reportJson(DIAGNOSIS, VERIFIED) as { diagnosis: { causes: { cause: string; manifest: unknown[] }[] }; verification: VerifyResult };
    assert.equal(json.diagnosis.causes[0]!.cause, 'connect-timeout');
    assert.equal(json.diagnosis.causes[0]!.manifest.length, 1);
    assert.deepEqual(json.verification, VERIFIED);
    assert.equal((reportJson(DIAGNOSIS) as { verification: unknown }).verification, null);
  });
});
