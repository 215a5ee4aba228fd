import * as assert from 'node:assert/strict';
import { addressKey, ipv4KeyOfBytes } from '../../../../src/core/logs/addressKey';

describe('addressKey', () => {
  it('turns IPv4 addresses with a port into distinct numbers and leaves others as they are', () => {
    assert.equal(addressKey('10.44.0.13:45202'), addressKey('10.44.0.13:45202'));
    assert.notEqual(addressKey('10.44.0.13:45202'), addressKey('10.44.0.13:45203'));
    assert.notEqual(addressKey('10.44.0.1:345202'), addressKey('10.44.0.13:45202'));
    assert.notEqual(addressKey('10.44.1.3:45202'), addressKey('10.44.0.13:45202'));
    assert.equal(addressKey('255.255.255.255:65535'), 2 ** 48 - 1);
    assert.equal(addressKey('[fd00::1]:8080'), '[fd00::1]:8080');
    assert.equal(addressKey('300.1.1.1:80'), '300.1.1.1:80');
    assert.equal(addressKey('10.0.0.1:99999'), '10.0.0.1:99999');
    assert.equal(addressKey('1.2.3.4:5'), (((1 * 256 + 2) * 256 + 3) * 256 + 4) * 65536 + 5);
    for (const other of ['1.2.3.4', '1.2.3.4.5:6', ':80', '1..2.3:4', '1.2.3.4:', '01234.1.1.1:80', 'orders:8080']) assert.equal(addressKey(other), other);
  });

  it('leaves an address with characters beyond ASCII as text, whatever their low byte reads as', () => {
    // U+0131's low byte is `1`: read as bytes it would make a valid address.
    assert.equal(addressKey('10.0.0.1:8\u0131'), '10.0.0.1:8\u0131');
  });

  it('reads the same number from the bytes of a line as from the address as text', () => {
    const line = Buffer.from('x 10.44.0.13:45202 [fd00::1]:80 y', 'latin1');
    assert.equal(ipv4KeyOfBytes(line, 2, 18), addressKey('10.44.0.13:45202'));
    assert.equal(ipv4KeyOfBytes(line, 19, 31), null);
    assert.equal(ipv4KeyOfBytes(line, 0, line.length), null);
  });
});
