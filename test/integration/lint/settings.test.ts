import * as assert from 'node:assert/strict';
import { openFixture, waitForDiagnostics, withSetting } from './lintHelpers';

describe('lint: the meshDoctor.connectTimeout.minimum setting', function () {
  this.timeout(30_000);

  it('re-lints open manifests when the minimum changes', async () => {
    const mesh = await openFixture('mesh-operator.yaml'); // 1s
    const idp = await openFixture('idp-dr.yaml'); // 30s
    await waitForDiagnostics(mesh.uri, 1);
    await waitForDiagnostics(idp.uri, 0);

    let restore = await withSetting('connectTimeout.minimum', '500ms');
    try {
      await waitForDiagnostics(mesh.uri, 0);
    } finally {
      await restore();
    }
    await waitForDiagnostics(mesh.uri, 1);

    restore = await withSetting('connectTimeout.minimum', '1m');
    try {
      const [low] = await waitForDiagnostics(idp.uri, 1);
      assert.match(low.message, /30s/);
      assert.match(low.message, /1m/);
    } finally {
      await restore();
    }
    await waitForDiagnostics(idp.uri, 0);
  });

  it('falls back to 10s when the setting is not a duration', async () => {
    const mesh = await openFixture('mesh-operator.yaml');
    const idp = await openFixture('idp-dr.yaml');
    // First move away from the default, so the fallback is observable as a change back.
    let restore = await withSetting('connectTimeout.minimum', '500ms');
    try {
      await waitForDiagnostics(mesh.uri, 0);
    } finally {
      await restore();
    }
    restore = await withSetting('connectTimeout.minimum', 'ten seconds');
    try {
      const [low] = await waitForDiagnostics(mesh.uri, 1);
      assert.match(low.message, /10s/);
      await waitForDiagnostics(idp.uri, 0);
    } finally {
      await restore();
    }
  });

  it('skips documents above meshDoctor.lint.maxFileSizeMB, and lints them again when it is raised', async () => {
    const mesh = await openFixture('mesh-operator.yaml'); // about 300 bytes
    await waitForDiagnostics(mesh.uri, 1);
    const restore = await withSetting('lint.maxFileSizeMB', 0.0001); // about 100 characters
    try {
      await waitForDiagnostics(mesh.uri, 0);
    } finally {
      await restore();
    }
    await waitForDiagnostics(mesh.uri, 1);
  });
});
