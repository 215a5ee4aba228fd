import * as assert from 'node:assert/strict';
import { iconSafeText as escapeLensText, notificationText as escapeNotificationText } from '../../../src/core/text/markupEscape';

describe('lint: untrusted text in lenses and notifications', () => {
  it('keeps a manifest value from rendering as an icon or breaking the lens line', () => {
    assert.equal(escapeLensText('connectTimeout "$(zap)1s" is low'), 'connectTimeout "\\$(zap)1s" is low');
    assert.equal(escapeLensText('a\nb\r\n\tc'), 'a b c');
  });

  it('keeps a file name or setting value from becoming a command link in a notification', () => {
    assert.equal(escapeNotificationText('did not lint [x](command:workbench.action.quit).yaml'), 'did not lint [x] (command:workbench.action.quit).yaml');
    assert.equal(escapeNotificationText('[a](b) and [c](d)'), '[a] (b) and [c] (d)');
    assert.equal(escapeNotificationText('plain-name.yaml'), 'plain-name.yaml');
  });
});
