import * as assert from 'node:assert/strict';
import { EXCLUDED_GLOB, isExcludedPath } from '../../../src/lint/documentSelector';

describe('lint document selector: folders the workspace scans exclude', () => {
  it('excludes what a watcher reports below node_modules or .git, as the scans glob does', () => {
    assert.equal(EXCLUDED_GLOB, '**/{node_modules,.git}/**');
    assert.equal(isExcludedPath('/w/node_modules/chart/values.yaml'), true);
    assert.equal(isExcludedPath('/w/deploy/.git/config.yaml'), true);
  });

  it('keeps folders that only look alike', () => {
    assert.equal(isExcludedPath('/w/deploy/dr.yaml'), false);
    assert.equal(isExcludedPath('/w/node_modules_backup/dr.yaml'), false);
    assert.equal(isExcludedPath('/w/.github/workflows/ci.yaml'), false);
  });
});
